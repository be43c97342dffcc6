"""``apistellar solo <name> [options]``, added through the ``apistellar.commands`` entry point.

Run in the project folder (next to ``web_app.py`` or ``solo_app.py``, whose
``Application(...)``/``SoloManager(...)`` call names the project), as ``python
solo_app.py``: the same
solos, the same ``-h``, and logging configured as the generated ``solo_app.py`` does
(INFO and its format) when nothing configured it before.
"""

import argparse
import logging
import sys
from pathlib import Path
from typing import Any

from apistellar_web.cli.launcher import project_arguments

from ._solo import LOG_DATE_FORMAT, LOG_FORMAT, SoloManager

__all__ = ["register"]


def register(subparsers: Any) -> None:
    """Add the ``solo`` command to the ``apistellar`` parser."""
    solo = subparsers.add_parser(
        "solo",
        help="run an offline task of the project here (-h lists them)",
        add_help=False,
        usage="apistellar solo [--dir DIR] [--log-level LEVEL] SOLO [options]",
    )
    solo.add_argument("--dir", default=".", help="the project folder (default: .)")
    solo.add_argument(
        "--log-level",
        default="INFO",
        type=str.upper,
        choices=["CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG"],
        help="the level of the logging configured here (default: INFO)",
    )
    solo.add_argument("arguments", nargs=argparse.REMAINDER, help="the solo and its options, or -h")
    solo.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    folder = Path(args.dir).resolve()
    for entry in (str(folder), str(folder.parent)):  # as the original: parent first
        if entry in sys.path:
            sys.path.remove(entry)
        sys.path.insert(0, entry)
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig(level=args.log_level, format=LOG_FORMAT, datefmt=LOG_DATE_FORMAT)
    # The project's name as its launcher (web_app.py, solo_app.py) gives it, so a
    # project in a folder of another name finds its package too.
    name = project_arguments(folder).get("app_name", folder.name)
    manager = SoloManager(name, current_dir=folder)
    manager.prog = "apistellar solo"
    return manager.start(args.arguments)

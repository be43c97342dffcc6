"""``apistellar solo <name> [options]``, added through the ``apistellar.commands`` entry point."""

import argparse
import sys
from pathlib import Path
from typing import Any

from ._solo import SoloManager

__all__ = ["register"]


def register(subparsers: Any) -> None:
    """Add the ``solo`` command to the ``apistellar`` parser."""
    solo = subparsers.add_parser("solo", help="run an offline task of the project here")
    solo.add_argument("--dir", default=".", help="the project folder (default: .)")
    solo.add_argument("arguments", nargs=argparse.REMAINDER, help="the solo and its options")
    solo.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    folder = str(Path(args.dir).resolve())
    if folder not in sys.path:  # as ``uvicorn --app-dir``: the command imports the project
        sys.path.insert(0, folder)
    return SoloManager(Path(folder).name, current_dir=folder).start(args.arguments)

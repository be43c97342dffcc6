"""``apistellar shell``, added through the ``apistellar.commands`` entry point."""

import argparse
from typing import Any

from ._shell import start

__all__ = ["register"]


def register(subparsers: Any) -> None:
    """Add the ``shell`` command to the ``apistellar`` parser."""
    shell = subparsers.add_parser("shell", help="IPython with the project's injection and await")
    shell.add_argument("--dir", default=".", help="the project folder (default: .)")
    shell.add_argument("--settings", default="settings", help="the settings module")
    shell.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    return start(args.dir, args.settings)

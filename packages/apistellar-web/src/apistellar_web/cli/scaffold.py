"""What every scaffolding task shares: name rules, errors, and the file writer."""

import re
import sys
from collections.abc import Callable
from pathlib import Path

__all__ = ["ScaffoldError", "Writer", "ask_stdin", "words", "writer"]

NAME = re.compile(r"^[_a-zA-Z]\w*$")


class ScaffoldError(Exception):
    """A scaffolding request that cannot be carried out; the message says why."""


def words(name: str) -> list[str]:
    """The alphanumeric words of ``name`` (``group-admin`` gives ``["group", "admin"]``).

    Raises:
        ScaffoldError: the name has no word, or starts with a digit.
    """
    parts = re.findall(r"[A-Za-z0-9]+", name)
    if not parts:
        raise ScaffoldError(f"name: {name!r} invalid!")
    if parts[0][0].isdigit():
        raise ScaffoldError(f"name: {name!r} start with number!")
    return parts


def class_and_module(parts: list[str]) -> tuple[str, str]:
    """``("GroupAdmin", "group_admin")`` from ``["group", "admin"]``."""
    return "".join(p.capitalize() for p in parts), "_".join(p.lower() for p in parts)


def ask_stdin(prompt: str) -> str:
    """Ask on stdout and read one answer from stdin, a terminal or a pipe (``yes |``).

    At the end of the input (or with no stdin) the answer is ``n``.
    """
    if sys.stdin is None or sys.stdin.closed:
        return "n"
    print(prompt, end="", flush=True)
    answer = sys.stdin.readline()
    if not sys.stdin.isatty():
        print(answer.strip())  # a piped answer is shown, so the output reads as typed
    return answer or "n"


class Writer:
    """Writes scaffolded files; an existing one is replaced only with ``force`` or a ``y``.

    Args:
        force: overwrite existing files without asking.
        ask: asks ``<path> exists, overwrite? y/n`` and returns the answer; without it,
            existing files are kept.
    """

    def __init__(self, force: bool = False, ask: Callable[[str], str] | None = None) -> None:
        self.force = force
        self.ask = ask
        #: Files written, in order.
        self.created: list[Path] = []
        #: Existing files left as they were, in order (no duplicates).
        self.kept: list[Path] = []

    def __call__(self, path: Path, text: str) -> bool:
        """Write ``text`` (with one final newline) to ``path``; whether it was written."""
        if path.exists() and not self.force:
            answer = self.ask(f"{path} exists, overwrite? y/n ") if self.ask else "n"
            if answer.strip().lower() not in ("y", "yes"):
                if path not in self.kept:
                    self.kept.append(path)
                return False
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text.rstrip("\n") + "\n", encoding="utf-8")
        if path in self.kept:
            self.kept.remove(path)
        if path not in self.created:
            self.created.append(path)
        return True


def writer(force: bool, ask: Callable[[str], str] | None) -> Writer:
    """A :class:`Writer`."""
    return Writer(force, ask)

"""``Solo`` and ``SoloManager``: offline tasks that reuse the web app's injectables.

A solo's ``setup``, ``run`` and ``teardown`` are injected like handlers (services,
components, settings, ``App``) from the same graph as the web app, and ``coroutinelocal``
is filled as it is for requests. On SIGINT/SIGTERM the running ``run()`` is **cancelled**
before ``teardown()`` runs (the original ran teardown while run was still going), and
tasks left in ``self.tasks`` are cancelled too.
"""

import abc
import argparse
import asyncio
import logging
import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar

from apistellar_web import Application
from apistellar_web.discovery import discover
from apistellar_web.locals import coroutinelocal

__all__ = ["LOG_DATE_FORMAT", "LOG_FORMAT", "Solo", "SoloManager"]

#: The log format of the generated ``solo_app.py`` (and ``apistellar solo``).
LOG_FORMAT = "%(asctime)s.%(msecs)03d %(filename)s[line:%(lineno)d] %(levelname)s: %(message)s"
#: Its date format.
LOG_DATE_FORMAT = "%Y/%m/%d %H:%M:%S"


class Solo(abc.ABC):
    """Base class of offline tasks; subclasses in the project package are discovered.

    The command name is ``name`` or the lower-cased class name. Options added by
    :meth:`enrich_parser` arrive in ``__init__`` as keyword arguments, with ``solo`` and
    ``settings``. Futures appended to ``self.tasks`` are watched: results are logged,
    errors reported.
    """

    name: ClassVar[str | None] = None

    def __init__(self, **kwargs: Any) -> None:
        self.kwargs = kwargs
        self.tasks: list[asyncio.Future[Any]] = []

    @abc.abstractmethod
    async def setup(self) -> Any:
        """Prepare (injectable parameters allowed)."""

    @abc.abstractmethod
    async def run(self) -> Any:
        """Do the work (injectable parameters allowed)."""

    @abc.abstractmethod
    async def teardown(self) -> Any:
        """Release what setup took (injectable parameters allowed)."""

    @classmethod
    def enrich_parser(cls, sub_parser: argparse.ArgumentParser) -> None:
        """Add command-line options for this solo (nothing by default)."""
        return None

    @classmethod
    def command(cls) -> str:
        """The sub-command name."""
        return cls.name or cls.__name__.lower()

    @property
    def logger(self) -> logging.Logger:
        """``solo.<command>`` (no handler is configured here)."""
        return logging.getLogger(f"solo.{self.command()}")


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def every_solo_help(parser: argparse.ArgumentParser) -> str:
    """The help of ``parser`` followed by each solo's usage, as the original's ``-h``."""
    text = [parser.format_help()]
    text += [f"Command '{name}'\n{sub.format_usage()}" for name, sub in _subparsers(parser).items()]
    return "\n".join(text)


class _EverySoloHelp(argparse.Action):
    def __init__(self, option_strings: list[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, *args: Any, **kwargs: Any) -> None:
        print(every_solo_help(parser))
        parser.exit()


class SoloManager:
    """Discover the solos of a project and run one from the command line.

    Args:
        app_name: the application's name.
        current_dir: the project folder (as for ``Application``).
        solos: solo classes to offer besides the discovered ones.
    """

    def __init__(
        self,
        app_name: str,
        current_dir: str | os.PathLike[str] = ".",
        solos: Sequence[type[Solo]] = (),
    ) -> None:
        self.app_name = app_name
        self.current_dir = Path(current_dir).resolve()
        self.extra = list(solos)
        self.logger = logging.getLogger(f"solo.{app_name}")
        #: The program name in usage lines (default: the script's file name).
        self.prog: str | None = None

    def _solos(self) -> dict[str, type[Solo]]:
        found = discover(self.current_dir, app_name=self.app_name).classes
        classes = [c for c in [*found, *self.extra] if isinstance(c, type) and issubclass(c, Solo)]
        return {c.command(): c for c in classes if not getattr(c, "__abstractmethods__", None)}

    def parser(self, solos: dict[str, type[Solo]]) -> argparse.ArgumentParser:
        """``<solo> [--settings SETTINGS] [solo options]``; ``-h`` shows every solo's usage."""
        prog = self.prog or os.path.basename(sys.argv[0]) or self.app_name
        root = argparse.ArgumentParser(
            prog=prog, description=f"Offline tasks of {self.app_name}.", add_help=False
        )
        root.add_argument("-h", "--help", action=_EverySoloHelp, help="show every solo's usage")
        subparsers = root.add_subparsers(dest="solo", metavar="SOLO", title="solos")
        for name, solo in sorted(solos.items()):
            doc = (solo.__doc__ or "").strip().splitlines()
            sub = subparsers.add_parser(name, help=doc[0] if doc else None)
            sub.add_argument("--settings", default="settings", help="the settings module")
            solo.enrich_parser(sub)
        return root

    def start(self, argv: Sequence[str] | None = None) -> int:
        """Parse ``argv``, build the app and run the chosen solo; the exit status.

        Called without ``argv``, as the original's ``solo_app.py`` calls it (no
        ``sys.exit`` around it), it reads ``sys.argv`` and exits the process itself when
        the status is not 0: with no arguments it prints the help and exits with 1.
        """
        status = self._start(argv)
        if argv is None and status:
            raise SystemExit(status)
        return status

    def _start(self, argv: Sequence[str] | None) -> int:
        arguments = list(sys.argv[1:] if argv is None else argv)
        solos = self._solos()
        root = self.parser(solos)
        if not arguments:
            print(every_solo_help(root))
            return 1
        args = root.parse_args(arguments)
        options = vars(args)
        app = Application(
            self.app_name, current_dir=self.current_dir, settings_path=options["settings"]
        )
        solo = solos[options["solo"]](**options)
        return asyncio.run(self._run(app, solo))

    async def _call(self, app: Application, solo: Solo, name: str, state: dict[str, Any]) -> Any:
        return await app.call(getattr(solo, name), kind="solo", state=state)

    async def _run(self, app: Application, solo: Solo) -> int:
        state = app.offline_state("solo")
        for key, value in (await app.local_values(state)).items():
            coroutinelocal[key] = value
        loop = asyncio.get_running_loop()
        self.logger.info("Starting worker [%d]", os.getpid())
        runner: asyncio.Task[Any] | None = None
        stopping = asyncio.Event()

        def on_signal(signum: int) -> None:
            self.logger.info("Received signal %s. Shutting down.", signal.Signals(signum).name)
            stopping.set()
            if runner is not None:
                runner.cancel()

        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, on_signal, signum)
        status = 0
        try:
            await self._call(app, solo, "setup", state)
            runner = asyncio.create_task(self._call(app, solo, "run", state))
            try:
                result = await runner
                if result is not None:
                    self.logger.info("Main coroutine returned: %r", result)
            except asyncio.CancelledError:
                # cancelled by a stop signal: a normal stop (INFO); otherwise a WARNING
                level = logging.INFO if stopping.is_set() else logging.WARNING
                self.logger.log(level, "Main coroutine cancelled.")
            except Exception:
                status = 1
                self.logger.exception("Error in main coroutine")
            for task in solo.tasks:
                if task.done():
                    if task.cancelled():
                        continue
                    if task.exception() is not None:
                        self.logger.error("Error in task: %s error: %s", task, task.exception())
                    elif task.result() is not None:
                        self.logger.info("Task result: %r", task.result())
                else:
                    task.cancel()
        finally:
            try:
                await self._call(app, solo, "teardown", state)
            finally:
                for signum in (signal.SIGINT, signal.SIGTERM):
                    loop.remove_signal_handler(signum)
                coroutinelocal.clear()
                self.logger.info(
                    "Stopping [%d]", os.getpid()
                )  # a normal stop (the original: WARNING)
        return status

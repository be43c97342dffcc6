"""The ``apistellar`` command, and the original's ``apistar-*`` commands as aliases.

``apistellar routes`` prints the route table of the project in the current folder;
``apistellar create project|service|model|solo|rpc|document`` scaffolds, and so does every ``Task``
subclass of a ``tasks.py`` in the current folder (see :mod:`.tasks`). Other
distributions add commands through the ``apistellar.commands`` entry-point group
(``apistellar solo``, ``apistellar shell``): each entry point is a function
``register(subparsers)`` that adds a sub-parser whose ``func`` default runs the command.
"""

import argparse
import sys
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

from ..document.render import LABELS
from .builtin_tasks import BUILTIN_TASKS
from .document import create_document
from .finder import error_location as _where
from .openapi import register as register_openapi
from .routes import project_routes as show_routes
from .rpc import create_rpc
from .rpc_httpx import create_httpx_rpc
from .scaffold import ScaffoldError, Writer, ask_stdin
from .serve import add_serve
from .tasks import Task, load_tasks, run_task, template_roots

__all__ = ["console_main", "create_main", "main", "routes_main", "show_routes"]


def _routes(args: argparse.Namespace) -> int:
    from ..exceptions import ConfigurationError

    try:
        print(show_routes(args.dir, args.settings))
    except (ScaffoldError, ConfigurationError, ImportError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


def _create(args: argparse.Namespace) -> int:
    write = Writer(args.force, ask_stdin)
    where = Path(args.location)
    task_class = getattr(args, "task_class", None)
    try:
        if task_class is not None:
            arguments = {
                k: v for k, v in vars(args).items() if k not in ("func", "task_class", "task")
            }
            roots = template_roots(args.templates, args.tasks_file)
            try:
                created = run_task(task_class, arguments, roots, write)
            except (ScaffoldError, AssertionError):
                raise
            except Exception as error:  # a custom task's own code: no traceback for users
                if task_class in BUILTIN_TASKS.values():
                    raise
                print(
                    f"error: the task {args.task!r} failed: {type(error).__name__}: {error}"
                    f"{_where(error)}",
                    file=sys.stderr,
                )
                return 2
        elif args.task == "document":
            created = create_document(
                args.name,
                args.module,
                where,
                parser=args.parser,
                lang=args.lang,
                html=not args.no_html,
            )
        elif args.httpx:
            created = create_httpx_rpc(args.name, args.module, where, write)
        else:
            created = create_rpc(
                args.name,
                args.module,
                where,
                write,
                base=args.base,
                conn_timeout=args.conn_timeout,
                read_timeout=args.read_timeout,
            )
    except (ScaffoldError, AssertionError) as error:  # tasks validate with assert, as the original
        message = str(error) or f"{type(error).__name__}{_where(error)}"
        print(f"error: {message}", file=sys.stderr)
        return 2
    for path in created:
        print(f"created {path}")
    for path in write.kept:
        print(f"kept {path} (exists; --force overwrites)")
    return 0


_BUILTIN_NAMES = ("project", "service", "model", "solo", "rpc", "document")


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def create_help(create: argparse.ArgumentParser) -> str:
    """The help of ``create`` followed by the usage of each task (as the original printed)."""
    text = [create.format_help()]
    text += [f"Command '{name}'\n{sub.format_usage()}" for name, sub in _subparsers(create).items()]
    return "\n".join(text)


class _CreateHelp(argparse.Action):
    def __init__(self, option_strings: list[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, *args: Any, **kwargs: Any) -> None:
        print(create_help(parser))
        parser.exit()


def _common() -> argparse.ArgumentParser:
    """The options every task has; a new parser each time (conflict resolution in one
    task's parser must not strip them from the others)."""
    options = argparse.ArgumentParser(add_help=False)
    options.add_argument(
        "-l", "--location", default=".", help="the folder to create in (default: .)"
    )
    options.add_argument("-f", "--force", action="store_true", help="overwrite existing files")
    options.add_argument(
        "-t", "--templates", help="a folder of task templates: DIR/<task>/ wins over the built-in"
    )
    return options


def _add_create(
    subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]",
    custom: dict[str, type[Task]],
    tasks_file: Path | None,
) -> None:
    create = subparsers.add_parser(
        "create",
        help="scaffold projects, services, models, solos, RPC clients, API documents",
        add_help=False,
    )
    create.add_argument("-h", "--help", action=_CreateHelp, help="show every task's usage")
    tasks = create.add_subparsers(dest="task", metavar="TASK", required=True)
    for name, task_class in BUILTIN_TASKS.items():
        task = tasks.add_parser(name, parents=[_common()], help=task_class.__doc__)
        task_class.enrich_parser(task)
        task.set_defaults(task_class=task_class, tasks_file=tasks_file)
    rpc = tasks.add_parser("rpc", parents=[_common()], help="create an RPC client of the project")
    rpc.add_argument("name", help="the client package's name")
    rpc.add_argument("-m", "--module", required=True, help="the project's package")
    rpc.add_argument(
        "-b", "--base", default="apistellar_web.rpc:RestfulApi", help="module:Class of the base"
    )
    rpc.add_argument("-ct", "--conn-timeout", type=float, default=9, help="seconds")
    rpc.add_argument("-rt", "--read-timeout", type=float, default=9, help="seconds")
    rpc.add_argument("--httpx", action="store_true", help="a typed httpx client instead")
    document = tasks.add_parser(
        "document", parents=[_common()], help="create API pages from the handlers' docstrings"
    )
    document.add_argument("name", help="the folder of the pages")
    document.add_argument("-m", "--module", required=True, help="the project's package")
    document.add_argument("-p", "--parser", help="the docstring parser (pkg.mod.Class)")
    document.add_argument("--lang", choices=sorted(LABELS), default="en", help="labels")
    document.add_argument("--no-html", action="store_true", help="Markdown only, no Sphinx")
    for name, task_class in sorted(custom.items()):
        if name in _BUILTIN_NAMES:  # built-in tasks win
            continue
        doc = (task_class.__doc__ or "").strip().splitlines()
        # A task's own option wins over a common one (the original's Document added -l).
        task = tasks.add_parser(
            name, parents=[_common()], help=doc[0] if doc else None, conflict_handler="resolve"
        )
        try:
            task_class.enrich_parser(task)
        except Exception as error:  # the project's tasks.py: no traceback for its errors
            raise ScaffoldError(
                f"{task_class.__name__}.enrich_parser failed: {type(error).__name__}: {error}"
                f"{_where(error)}"
            ) from error
        task.set_defaults(task_class=task_class, tasks_file=tasks_file)
    create.set_defaults(func=_create)


def _versions() -> str:
    """``apistellar-web X`` and the version of every other installed apistellar distribution."""
    names = ["apistellar-web", "apistellar", "apistellar-config", "apistellar-session"]
    names += ["apistellar-solo", "apistellar-shell", "pytest-apistellar"]
    found = []
    for name in names:
        try:
            found.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            continue
    return "\n".join(found)


class _Version(argparse.Action):
    def __init__(self, option_strings: list[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, *args: Any, **kwargs: Any) -> None:
        print(_versions())
        parser.exit()


def parser(
    custom: dict[str, type[Task]] | None = None, tasks_file: Path | None = None
) -> argparse.ArgumentParser:
    """The argument parser, with the commands of every installed apistellar distribution."""
    root = argparse.ArgumentParser(prog="apistellar", description="The apistellar command.")
    root.add_argument("--version", action=_Version, help="show the installed versions and exit")
    subparsers = root.add_subparsers(dest="command", metavar="COMMAND")
    routes = subparsers.add_parser("routes", help="print the route table of the project here")
    routes.add_argument("--dir", default=".", help="the project folder (default: .)")
    routes.add_argument(
        "--settings", help="build the app of the project package with this settings module"
    )
    routes.set_defaults(func=_routes)
    add_serve(subparsers)
    _add_create(subparsers, custom or {}, tasks_file)
    register_openapi(subparsers)
    for entry in metadata.entry_points(group="apistellar.commands"):
        entry.load()(subparsers)
    return root


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``apistellar``; with no command, print the help and exit with status 1."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    custom: dict[str, type[Task]] = {}
    tasks_file = None
    if arguments[:1] == ["create"]:
        try:
            custom, tasks_file = load_tasks(Path.cwd())
        except ScaffoldError as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
    try:
        root = parser(custom, tasks_file)
    except ScaffoldError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if not arguments:
        root.print_help()
        return 1
    if arguments == ["create"]:  # the original: help, and status 1
        print(create_help(_subparsers(root)["create"]))
        return 1
    # Positional names may follow options (create model -n NAME field:type ...).
    args, extra = root.parse_known_args(arguments)
    if extra:
        listed = next(
            (n for n in ("fields", "names", "name") if isinstance(getattr(args, n, ""), list)),
            None,
        )
        creating = getattr(args, "command", None) == "create" and listed is not None
        if creating and listed and not any(e.startswith("-") for e in extra):
            setattr(args, listed, [*getattr(args, listed), *extra])
        elif isinstance(getattr(args, "arguments", None), list):  # passed on (solo -h)
            args.arguments = [*extra, *args.arguments]
        else:
            root.error(f"unrecognized arguments: {' '.join(extra)}")
    if not getattr(args, "func", None):
        root.print_help()
        return 1
    result: int = args.func(args)
    return result


def create_main(argv: Sequence[str] | None = None) -> int:
    """``apistar-create``: ``apistellar create``."""
    return main(["create", *(sys.argv[1:] if argv is None else argv)])


def routes_main(argv: Sequence[str] | None = None) -> int:
    """``apistar-routes``: ``apistellar routes``."""
    return main(["routes", *(sys.argv[1:] if argv is None else argv)])


def console_main(argv: Sequence[str] | None = None) -> int:
    """``apistar-console``: ``apistellar shell`` (from apistellar-shell)."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    commands = {entry.name for entry in metadata.entry_points(group="apistellar.commands")}
    if "shell" not in commands:
        print(
            "error: the interactive shell is not available: apistellar-shell provides "
            "'apistellar shell', and it is not implemented yet.",
            file=sys.stderr,
        )
        return 2
    return main(["shell", *arguments])

"""The ``apistellar`` command, and the original's ``apistar-*`` commands as aliases.

``apistellar routes`` prints the route table of the project in the current folder;
``apistellar create project|service|model`` scaffolds. Other distributions add commands
through the ``apistellar.commands`` entry-point group (``apistellar solo``,
``apistellar shell``): each entry point is a function ``register(subparsers)`` that adds
a sub-parser whose ``func`` default runs the command.
"""

import argparse
import sys
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path

from .scaffold import ScaffoldError, create_model, create_project, create_service, writer

__all__ = ["console_main", "create_main", "main", "routes_main", "show_routes"]


def show_routes(current_dir: str = ".", settings_path: str = "settings") -> str:
    """The route table of the project in ``current_dir`` (the original ``apistar-routes``)."""
    from ..app import Application, format_routes

    app = Application("routes", current_dir=current_dir, settings_path=settings_path)
    if not app.routes:
        return "Nothing to route."
    return format_routes(app)


def _routes(args: argparse.Namespace) -> int:
    # As ``uvicorn --app-dir`` does: the command imports the project found in --dir.
    folder = str(Path(args.dir).resolve())
    if folder not in sys.path:
        sys.path.insert(0, folder)
    from ..exceptions import ConfigurationError

    try:
        print(show_routes(args.dir, args.settings))
    except (ConfigurationError, ImportError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


def _create(args: argparse.Namespace) -> int:
    ask = input if sys.stdin is not None and sys.stdin.isatty() else None
    write = writer(args.force, ask)
    where = Path(args.location)
    try:
        if args.task == "project":
            created = create_project(args.names[0] if args.names else "", where, write)
        elif args.task == "service":
            if not args.names:
                raise ScaffoldError(
                    "Name at least one service: apistellar create service NAME [NAME ...]."
                )
            created = create_service(args.names, where, write)
        else:
            if not args.name:
                raise ScaffoldError(
                    "Name the model: apistellar create model -n NAME [field:type ...]."
                )
            created = create_model(args.name, args.names, Path(args.path or where), write)
    except ScaffoldError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    for path in created:
        print(f"created {path}")
    return 0


def _add_create(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    create = subparsers.add_parser("create", help="scaffold a project, services or a model")
    create.add_argument("task", choices=["project", "service", "model"])
    create.add_argument(
        "names", nargs="*", help="project or service names, or model field:type pairs"
    )
    create.add_argument("-n", "--name", help="the model's name (create model)")
    create.add_argument("-p", "--path", help="where the model file goes (create model)")
    create.add_argument(
        "-l", "--location", default=".", help="the folder to create in (default: .)"
    )
    create.add_argument("-f", "--force", action="store_true", help="overwrite existing files")
    create.set_defaults(func=_create)


def parser() -> argparse.ArgumentParser:
    """The argument parser, with the commands of every installed apistellar distribution."""
    root = argparse.ArgumentParser(prog="apistellar", description="The apistellar command.")
    subparsers = root.add_subparsers(dest="command", metavar="COMMAND")
    routes = subparsers.add_parser("routes", help="print the route table of the project here")
    routes.add_argument("--dir", default=".", help="the project folder (default: .)")
    routes.add_argument("--settings", default="settings", help="the settings module")
    routes.set_defaults(func=_routes)
    _add_create(subparsers)
    for entry in metadata.entry_points(group="apistellar.commands"):
        entry.load()(subparsers)
    return root


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``apistellar``; with no command, print the help and exit with status 1."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    root = parser()
    if not arguments:
        root.print_help()
        return 1
    # Positional names may follow options (create model -n NAME field:type ...).
    args, extra = root.parse_known_args(arguments)
    if extra:
        if getattr(args, "command", None) == "create" and not any(e.startswith("-") for e in extra):
            args.names = [*args.names, *extra]
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

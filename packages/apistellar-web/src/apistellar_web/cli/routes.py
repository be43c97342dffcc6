"""The route table of a project: ``apistellar routes`` (``apistar-routes``) and
``show_routes()``.

Both print :func:`route_table`. They differ only in where the app comes from:

* ``show_routes()`` (the original's, called from Python -- often from the project's own
  ``web_app.py``) never runs ``web_app.py``: it builds the app of the project package with
  :func:`project_application`, the app name and ``package=`` read from ``web_app.py``'s
  source;
* the command serves what ``uvicorn web_app:app`` would: ``web_app.py``'s ``app`` (see
  :mod:`.finder`), or with ``--settings`` the app :func:`project_application` builds.
"""

from pathlib import Path
from typing import TYPE_CHECKING

from .finder import find_app, import_app, prepare_path
from .launcher import launcher_arguments

if TYPE_CHECKING:
    from ..app import Application

__all__ = ["format_routes", "project_application", "project_routes", "route_table", "show_routes"]

#: The table's columns, padded as the original's.
ROW = "{:<40} {:<7} {:<40} {:<}"


def format_routes(app: "Application") -> str:
    """The route table: name, method, URL pattern and ``module:Controller#action``."""
    lines = [ROW.format("Name", "Method", "URI Pattern", "Controller#Action")]
    for item in app.routes:
        owner = item.controller
        target = (
            f"{type(owner).__module__}:{type(owner).__name__}#{item.action}" if owner else item.name
        )
        lines.append(f"{item.name:<40} {item.method:<7} {item.url:<40} {target}")
    return "\n".join(lines)


def route_table(app: "Application") -> str:
    """:func:`format_routes`, or ``Nothing to route.`` when the app routes nothing."""
    return format_routes(app) if app.routes else "Nothing to route."


def project_application(
    current_dir: str | Path = ".",
    settings_path: str = "settings",
    *,
    package: str | None = None,
    app_name: str | None = None,
) -> "Application":
    """An ``Application`` of the project package in ``current_dir``, without running
    ``web_app.py``: unless given, the app name and ``package=`` are those of its
    ``Application(...)`` call (read from the source), else the folder's name."""
    from ..app import Application

    folder = Path(current_dir).resolve()
    if app_name is None and package is None:
        found = launcher_arguments(folder / "web_app.py")
        app_name, package = found.get("app_name"), found.get("package")
    return Application(
        app_name or folder.name,
        current_dir=folder,
        settings_path=settings_path,
        package=package,
    )


def show_routes(
    current_dir: str | Path = ".",
    settings_path: str = "settings",
    *,
    package: str | None = None,
    app_name: str | None = None,
) -> str:
    """Print the route table of the project in ``current_dir`` and return it.

    The original's ``show_routes()``, run in the project folder: the table of
    :func:`format_routes`, or ``Nothing to route.`` when the project routes nothing. The
    app is :func:`project_application`'s, so a renamed copy of a project lists its
    routes too, and ``web_app.py`` may call this function itself.
    """
    text = route_table(
        project_application(current_dir, settings_path, package=package, app_name=app_name)
    )
    print(text)
    return text


def project_routes(current_dir: str | Path = ".", settings_path: str | None = None) -> str:
    """The route table of the project in ``current_dir`` (the original ``apistar-routes``).

    The app is found as :mod:`.finder` says (``web_app.py``'s ``app``, or the project
    package); with ``settings_path`` it is :func:`project_application`'s, built with it.

    Raises:
        ScaffoldError: there is no project in ``current_dir``, or it cannot be imported.
    """
    spec = find_app(Path(current_dir))
    if settings_path is not None:
        prepare_path(spec.folder)
        app = project_application(spec.folder, settings_path)
    else:
        app = import_app(spec)
    return route_table(app)

"""``apistellar openapi [--app web_app:app] [--format json|yaml] [-o FILE]``.

Imports the app as ``uvicorn web_app:app`` would from the current folder (or
``--app-dir``) and prints its OpenAPI 3.1 document, or writes it to ``FILE``.
"""

import argparse
import importlib
import json
import sys
from pathlib import Path
from typing import Any

from .project import on_sys_path

__all__ = ["export_openapi", "load_application", "register"]


class OpenAPIError(Exception):
    """The app could not be loaded, or the document not written."""


def load_application(target: str, app_dir: Path) -> Any:
    """The object ``module:attribute`` names, imported with ``app_dir`` on ``sys.path``."""
    module_name, sep, attribute = target.partition(":")
    if not sep or not module_name or not attribute:
        raise OpenAPIError(f"--app must look like module:attribute, not {target!r}.")
    with on_sys_path(app_dir):
        try:
            module = importlib.import_module(module_name)
        except Exception as error:  # the user's module may fail in any way
            raise OpenAPIError(f"Cannot import {module_name}: {error}") from error
    app = getattr(module, attribute, None)
    if app is None:
        raise OpenAPIError(f"{module_name} has no attribute {attribute!r}.")
    if not callable(getattr(app, "openapi", None)):
        raise OpenAPIError(f"{target} is not an apistellar Application.")
    return app


def export_openapi(app: Any, output_format: str = "json") -> str:
    """The document of ``app`` as JSON (indented) or YAML text."""
    document = app.openapi()
    if output_format == "yaml":
        import yaml

        text: str = yaml.safe_dump(document, sort_keys=False, allow_unicode=True)
        return text
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _run(args: argparse.Namespace) -> int:
    try:
        app = load_application(args.app, Path(args.app_dir))
        text = export_openapi(app, args.format)
        if args.output:
            Path(args.output).write_text(text, encoding="utf-8")
            print(f"wrote {args.output}", file=sys.stderr)
        else:
            sys.stdout.write(text)
    except (OpenAPIError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    return 0


def register(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add ``openapi`` to the ``apistellar`` command."""
    command = subparsers.add_parser("openapi", help="print the OpenAPI 3.1 document of the app")
    command.add_argument("--app", default="web_app:app", help="module:attribute (web_app:app)")
    command.add_argument("--app-dir", default=".", help="the folder to import it from (.)")
    command.add_argument("--format", choices=("json", "yaml"), default="json", help="json")
    command.add_argument("-o", "--output", help="write to this file instead of printing")
    command.set_defaults(func=_run)

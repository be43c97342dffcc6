"""``apistellar serve``: the project in this folder on uvicorn.

``apistellar serve [--host 127.0.0.1] [--port 8000] [--reload] [--workers N]
[--app web_app:app] [--dir .]`` finds the app as ``apistellar routes`` does (see
:mod:`.finder`), imports it once to report a missing or broken project clearly, then
hands it to uvicorn: in this process, or as an import string for uvicorn's own reloader
and worker processes. uvicorn's ``ws_max_size`` follows the app's
``WEBSOCKET_MAX_MESSAGE_SIZE`` setting, so an oversized websocket message is refused
before uvicorn assembles it.
"""

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from .finder import PROJECT_DIR_VARIABLE, find_app, import_app
from .scaffold import ScaffoldError

__all__ = ["add_serve", "serve"]


def add_serve(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Add ``serve`` to the ``apistellar`` parser."""
    serve_parser = subparsers.add_parser("serve", help="serve the project here with uvicorn")
    serve_parser.add_argument("--host", default="127.0.0.1", help="default: 127.0.0.1")
    serve_parser.add_argument("--port", type=int, default=8000, help="default: 8000")
    serve_parser.add_argument("--reload", action="store_true", help="restart on code changes")
    serve_parser.add_argument(
        "--workers", type=int, default=None, help="worker processes (uvicorn's multiprocess)"
    )
    serve_parser.add_argument("--app", help="module:attribute of the app (default: web_app:app)")
    serve_parser.add_argument("--dir", default=".", help="the project folder (default: .)")
    serve_parser.add_argument(
        "--log-level",
        default="info",
        choices=["critical", "error", "warning", "info", "debug", "trace"],
        help="uvicorn's log level (default: info)",
    )
    serve_parser.set_defaults(func=serve)


def _options(app: Any) -> dict[str, Any]:
    limit = getattr(app, "websocket_max_message", None)
    if isinstance(limit, int) and not isinstance(limit, bool) and limit > 0:
        return {"ws_max_size": limit}
    return {}


def serve(args: argparse.Namespace) -> int:
    """Run the server until it is stopped; the exit status."""
    import uvicorn

    if args.workers is not None and args.workers < 1:
        print(f"error: --workers must be at least 1, not {args.workers!r}.", file=sys.stderr)
        return 2
    try:
        spec = find_app(Path(args.dir), args.app)
        app = import_app(spec)
    except ScaffoldError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except Exception as error:  # the project's own code failed while building the app
        print(
            f"error: the app could not be built: {type(error).__name__}: {error}", file=sys.stderr
        )
        return 2
    os.environ[PROJECT_DIR_VARIABLE] = str(spec.folder)
    options = _options(app)
    many = args.reload or (args.workers or 1) > 1
    target: Any = spec.target if many else app
    uvicorn.run(
        target,
        host=args.host,
        port=args.port,
        reload=args.reload,
        reload_dirs=[str(spec.folder)] if args.reload else None,
        workers=args.workers if not args.reload else None,
        factory=spec.factory and many,
        log_level=args.log_level,
        **options,
    )
    return 0

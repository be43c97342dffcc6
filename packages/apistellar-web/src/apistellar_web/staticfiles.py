"""Static files: ``STATIC_DIR`` and the packages' ``static`` folders, served as downloads.

Files go out through :class:`~apistellar_web.downloads.FileResponse`: streamed from disk
off the event loop (never read whole into memory), with ``ETag``, ``Last-Modified``,
``304 Not Modified`` and byte ranges, and no ``Content-Disposition``. A name that leaves
its folder, names no regular file, or that the OS refuses as a path (an embedded NUL,
a name too long) answers **404**, never an error envelope carrying the OS error.
"""

import importlib.util
import mimetypes
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from apistar import http

from ._router import Route
from .downloads import FileResponse
from .exceptions import NotFound

__all__ = ["find_static_file", "static_dirs", "static_route"]


def static_dirs(current_dir: Path, static_dir: Any, packages: Sequence[str]) -> list[Path]:
    """The folders an app serves: ``static_dir`` (the ``STATIC_DIR`` setting, relative to
    ``current_dir``) and each package's ``static`` folder; only those that exist."""
    dirs: list[Path] = []
    if static_dir:
        dirs.append((current_dir / static_dir).resolve())
    for package in packages:
        spec = importlib.util.find_spec(package)
        if spec and spec.submodule_search_locations:
            for location in spec.submodule_search_locations:
                dirs.append(Path(location) / "static")
    return [d for d in dirs if d.is_dir()]


def find_static_file(folders: Sequence[Path], filename: str) -> Path | None:
    """The first regular file named ``filename`` inside one of ``folders``, or ``None``.

    ``folders`` must be resolved paths; a name that resolves outside them is not found.
    """
    if "\0" in filename:
        return None
    for folder in folders:
        try:
            candidate = (folder / filename).resolve()
            if candidate.is_relative_to(folder) and candidate.is_file():
                return candidate
        except (OSError, ValueError):  # ENAMETOOLONG, ELOOP, an embedded NUL...
            return None
    return None


def _media_type(path: Path) -> str:
    guessed, encoding = mimetypes.guess_type(path.name)
    # ``x.tar.gz`` is a gzip file to a browser, not a tar sent with Content-Encoding
    if encoding or not guessed:
        return "application/octet-stream"
    return guessed


def static_route(folders: Sequence[Path], url_prefix: str) -> list[Route]:
    """The ``static`` route serving ``folders`` under ``url_prefix`` (none without folders)."""
    if not folders:
        return []
    roots = [Path(folder).resolve() for folder in folders]

    async def serve_static(filename: str) -> http.Response:
        path = find_static_file(roots, filename)
        if path is None:
            raise NotFound()
        try:
            return FileResponse(path, media_type=_media_type(path), download=False)
        except OSError:  # gone between the lookup and the stat
            raise NotFound() from None

    url = url_prefix.rstrip("/") + "/{+filename}"
    return [Route(url=url, method="GET", name="static", handler=serve_static, documented=False)]

"""``apistellar create document NAME -m MODULE``: API pages from handler docstrings.

Markdown pages (:mod:`apistellar_web.document.render`) and, unless ``--no-html``, their
HTML built by Sphinx. ``-p`` names another docstring parser (``pkg.mod.Class`` or
``pkg.mod:Class``, a subclass of :class:`~apistellar_web.document.RstDocParser`).
"""

from pathlib import Path

from .._dotted import import_string
from ..document import RstDocParser
from ..document.render import build_html, write_markdown
from ..exceptions import ConfigurationError
from .project import load_app
from .scaffold import ScaffoldError

__all__ = ["create_document"]

_ORIGINAL_DEFAULT = "apistellar.document.parser.RstDocParser"


def _parser(path: str | None) -> RstDocParser:
    if not path or path == _ORIGINAL_DEFAULT:
        return RstDocParser()
    module, sep, name = path.partition(":") if ":" in path else path.rpartition(".")
    if not sep or not module or not name:
        raise ScaffoldError(f"Invalid parser {path!r}: give pkg.mod.Class or pkg.mod:Class.")
    try:
        parser = import_string(path, setting="The parser (-p)")
    except ConfigurationError as error:
        raise ScaffoldError(str(error)) from error
    if not (isinstance(parser, type) and issubclass(parser, RstDocParser)):
        raise ScaffoldError(f"The parser {path!r} is not an RstDocParser subclass.")
    return parser()


def create_document(
    name: str,
    module: str,
    location: Path,
    parser: str | None = None,
    lang: str = "en",
    html: bool = True,
) -> list[Path]:
    """Write the pages of ``module``'s project into ``location/name``; the paths."""
    if not name or name in (".", "..") or "/" in name or "\\" in name:
        raise ScaffoldError(f"The document name {name!r} must be a plain folder name.")
    reader = _parser(parser)
    app = load_app(name, module)
    if not any(not route.websocket for route in app.routes):
        raise ScaffoldError(f"The project of {module} has no HTTP routes.")
    target = location / name
    target.mkdir(parents=True, exist_ok=True)
    try:
        written = write_markdown(app, name, target, reader, lang)
    except ValueError as error:
        raise ScaffoldError(str(error)) from error
    if html:
        try:
            written.append(build_html(target))
        except RuntimeError as error:
            raise ScaffoldError(str(error)) from error
    return written

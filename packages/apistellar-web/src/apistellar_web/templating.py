"""Jinja2 templates: ``TEMPLATE_DIR`` and the ``templates`` folder of the app's packages.

Where templates come from is read from the settings when the app is built
(:func:`template_sources`); the environment itself is created on first use
(:func:`build_environment`), with autoescape on and ``reverse_url``/``static_url`` as
globals. An app with no template source raises a ``ConfigurationError`` naming
``TEMPLATE_DIR`` when a template is first asked for.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from .exceptions import ConfigurationError

__all__ = ["TemplateSources", "build_environment", "template_sources"]


@dataclass(frozen=True)
class TemplateSources:
    """Where an app's templates are: a folder (``TEMPLATE_DIR``) and packages whose
    ``templates`` folder is served under the package name (``pkg/page.html``)."""

    folder: Path | None
    packages: tuple[str, ...]


def template_sources(
    current_dir: Path, template_dir: Any, packages: Sequence[str]
) -> TemplateSources:
    """The sources of an app in ``current_dir``: ``template_dir`` is the ``TEMPLATE_DIR``
    setting (relative to ``current_dir``; unset or empty: none)."""
    folder = current_dir / str(template_dir) if template_dir else None
    return TemplateSources(folder, tuple(packages))


def build_environment(
    sources: TemplateSources,
    *,
    reverse_url: Callable[..., str],
    static_url: Callable[[str], str],
) -> jinja2.Environment:
    """The Jinja2 environment reading ``sources``.

    Raises:
        ConfigurationError: there is no source at all.
    """
    loaders: list[jinja2.BaseLoader] = []
    if sources.folder is not None:
        loaders.append(jinja2.FileSystemLoader(str(sources.folder)))
    if sources.packages:
        loaders.append(
            jinja2.PrefixLoader({p: jinja2.PackageLoader(p, "templates") for p in sources.packages})
        )
    if not loaders:
        msg = "No templates configured: set TEMPLATE_DIR in settings.py."
        raise ConfigurationError(msg)
    env = jinja2.Environment(autoescape=True, loader=jinja2.ChoiceLoader(loaders))
    env.globals["reverse_url"] = reverse_url
    env.globals["static_url"] = static_url
    return env

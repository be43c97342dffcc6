"""``apistellar.bases.entities``, the original module path of the injectable entity types,
``inject``, ``SettingsMixin`` and ``coroutinelocal`` (re-exports)."""

from apistellar_config import SettingsMixin
from apistellar_web.entities import (
    Cookie,
    FileStream,
    FormParam,
    MultiPartForm,
    Session,
    UrlEncodeForm,
)
from apistellar_web.locals import coroutinelocal
from apistellar_web.service import Inject, InjectManager, inject

__all__ = [
    "Cookie",
    "FileStream",
    "FormParam",
    "Inject",
    "InjectManager",
    "MultiPartForm",
    "Session",
    "SettingsMixin",
    "UrlEncodeForm",
    "coroutinelocal",
    "inject",
]

"""``apistellar.bases.entities``, the original module path of the injectable entity types,
``inject``, ``SettingsMixin`` and ``coroutinelocal`` (re-exports)."""

from apistellar_config import SettingsMixin, init_settings, settings
from apistellar_web.entities import (
    Cookie,
    FileStream,
    FormParam,
    MultiPartForm,
    Session,
    UrlEncodeForm,
)
from apistellar_web.locals import coroutinelocal
from apistellar_web.multipart import File
from apistellar_web.service import Inject, InjectManager, inject

__all__ = [
    "Cookie",
    "File",
    "FileStream",
    "FormParam",
    "Inject",
    "InjectManager",
    "MultiPartForm",
    "Session",
    "SettingsMixin",
    "UrlEncodeForm",
    "coroutinelocal",
    "init_settings",
    "inject",
    "settings",
]

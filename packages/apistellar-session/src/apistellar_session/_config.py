"""Session configuration under Flask's names and with Flask's defaults (but ``SameSite=Lax``).

Accepted as a mapping (an app's settings: unrelated keys are ignored) or as keyword
arguments (Flask's names in any case: ``secret_key=``, ``SESSION_COOKIE_SECURE=``; an
unknown keyword is an error). The cookie domain only ever comes from configuration.

One default differs from Flask's: ``SESSION_COOKIE_SAMESITE`` is ``"Lax"``, so browsers do
not send the session cookie with cross-site subrequests (a cross-site ``fetch`` with
credentials, a form POST from another site). ``False`` or ``""`` leaves the attribute out,
as Flask's ``None`` does; ``None`` (a setting left unset) keeps the default.
"""

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from ._errors import SessionConfigError

__all__ = ["SessionConfig"]

logger = logging.getLogger("apistellar.session")

_SAMESITE = {"lax": "Lax", "strict": "Strict", "none": "None"}


def _lifetime(value: Any) -> timedelta:
    if isinstance(value, timedelta):
        lifetime = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        lifetime = timedelta(seconds=value)
        if isinstance(value, int) and 0 < value <= 366:
            logger.warning(
                "PERMANENT_SESSION_LIFETIME=%d is read as seconds (as Flask reads it); the "
                "original apistellar read it as days. Use a timedelta to be explicit.",
                value,
            )
    else:
        msg = (
            f"PERMANENT_SESSION_LIFETIME must be a number of seconds or a timedelta, not {value!r}."
        )
        raise SessionConfigError(msg)
    if lifetime.total_seconds() <= 0:
        msg = f"PERMANENT_SESSION_LIFETIME must be positive, not {value!r}."
        raise SessionConfigError(msg)
    return lifetime


def _key(value: Any, name: str) -> str | bytes:
    if isinstance(value, str | bytes) and value:
        return value
    msg = f"{name} must be a non-empty str or bytes, not {type(value).__name__}."
    raise SessionConfigError(msg)


@dataclass(frozen=True)
class SessionConfig:
    """Validated session settings; build it with :meth:`from_options`."""

    secret_key: str | bytes
    secret_key_fallbacks: tuple[str | bytes, ...] = ()
    cookie_name: str = "session"
    cookie_domain: str | None = None
    cookie_path: str = "/"
    cookie_httponly: bool = True
    cookie_secure: bool = False
    cookie_samesite: str | None = "Lax"
    cookie_partitioned: bool = False
    permanent_lifetime: timedelta = timedelta(days=31)
    refresh_each_request: bool = True
    max_cookie_size: int = 4093

    #: Flask's configuration names and the field each one sets.
    NAMES = {
        "SECRET_KEY": "secret_key",
        "SECRET_KEY_FALLBACKS": "secret_key_fallbacks",
        "SESSION_COOKIE_NAME": "cookie_name",
        "SESSION_COOKIE_DOMAIN": "cookie_domain",
        "SESSION_COOKIE_PATH": "cookie_path",
        "SESSION_COOKIE_HTTPONLY": "cookie_httponly",
        "SESSION_COOKIE_SECURE": "cookie_secure",
        "SESSION_COOKIE_SAMESITE": "cookie_samesite",
        "SESSION_COOKIE_PARTITIONED": "cookie_partitioned",
        "PERMANENT_SESSION_LIFETIME": "permanent_lifetime",
        "SESSION_REFRESH_EACH_REQUEST": "refresh_each_request",
        "MAX_COOKIE_SIZE": "max_cookie_size",
        "APPLICATION_ROOT": "cookie_path",
    }

    @classmethod
    def from_options(
        cls, config: Mapping[str, Any] | None = None, **options: Any
    ) -> "SessionConfig":
        """Build a configuration from a mapping and/or keyword arguments (keywords win).

        Raises:
            SessionConfigError: ``SECRET_KEY`` is missing or empty, or a value is invalid.
            TypeError: a keyword argument is not a known name.
        """
        raw: dict[str, Any] = {}
        for name, value in (config or {}).items():
            upper = str(name).upper()
            if upper in cls.NAMES:
                raw[upper] = value
        unknown = sorted(name for name in options if name.upper() not in cls.NAMES)
        if unknown:
            valid = ", ".join(sorted(n.lower() for n in cls.NAMES))
            msg = f"Unknown session option(s) {', '.join(unknown)}; valid names: {valid}."
            raise TypeError(msg)
        for name, value in options.items():
            raw[name.upper()] = value
        # APPLICATION_ROOT only stands in for a missing SESSION_COOKIE_PATH, as in Flask.
        if "SESSION_COOKIE_PATH" in raw and raw["SESSION_COOKIE_PATH"] is not None:
            raw.pop("APPLICATION_ROOT", None)
        if raw.get("SECRET_KEY") in (None, "", b""):
            msg = (
                "SECRET_KEY is required for signed sessions: set it in your settings (or pass "
                'secret_key=...) to a long random value, e.g. python -c "import secrets; '
                'print(secrets.token_hex(32))".'
            )
            raise SessionConfigError(msg)
        fields: dict[str, Any] = {}
        for name, value in raw.items():
            if value is not None:
                fields[cls.NAMES[name]] = value
        fields["secret_key"] = _key(fields["secret_key"], "SECRET_KEY")
        fallbacks = fields.get("secret_key_fallbacks", ())
        if isinstance(fallbacks, str | bytes):
            fallbacks = (fallbacks,)
        fields["secret_key_fallbacks"] = tuple(
            _key(key, "SECRET_KEY_FALLBACKS item") for key in _iterable(fallbacks)
        )
        if "permanent_lifetime" in fields:
            fields["permanent_lifetime"] = _lifetime(fields["permanent_lifetime"])
        samesite = fields.get("cookie_samesite")
        if samesite is False or samesite == "":
            fields["cookie_samesite"] = None  # no SameSite attribute at all (Flask's default)
        elif samesite is not None:
            if not isinstance(samesite, str) or samesite.lower() not in _SAMESITE:
                allowed = "'Lax', 'Strict', 'None', or False for no attribute"
                msg = f"SESSION_COOKIE_SAMESITE must be {allowed}, not {samesite!r}."
                raise SessionConfigError(msg)
            fields["cookie_samesite"] = _SAMESITE[str(samesite).lower()]
        size = fields.get("max_cookie_size", 4093)
        if not isinstance(size, int) or isinstance(size, bool) or size <= 0:
            msg = f"MAX_COOKIE_SIZE must be a positive int, not {size!r}."
            raise SessionConfigError(msg)
        if fields.get("cookie_samesite") == "None" and not fields.get("cookie_secure", False):
            logger.warning(
                "SESSION_COOKIE_SAMESITE='None' without SESSION_COOKIE_SECURE: browsers reject it."
            )
        return cls(**fields)

    @property
    def max_age(self) -> int:
        """The maximum signature age in seconds, checked on every read (Flask's rule)."""
        return int(self.permanent_lifetime.total_seconds())


def _iterable(value: Any) -> Iterable[Any]:
    if isinstance(value, Iterable):
        return value
    msg = f"SECRET_KEY_FALLBACKS must be a list of keys, not {value!r}."
    raise SessionConfigError(msg)

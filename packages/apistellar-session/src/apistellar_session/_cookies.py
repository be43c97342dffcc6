"""Reading the ``Cookie`` request header and writing ``Set-Cookie`` values like Werkzeug."""

from datetime import datetime, timezone
from email.utils import format_datetime

__all__ = ["cookie_value", "delete_cookie_header", "set_cookie_header"]

_EPOCH = "Thu, 01 Jan 1970 00:00:00 GMT"


def cookie_value(header: str | None, name: str) -> str | None:
    """Return the first value of cookie ``name`` in a ``Cookie`` header, or ``None``."""
    if not header:
        return None
    for part in header.split(";"):
        key, sep, value = part.strip().partition("=")
        if sep and key.strip() == name:
            value = value.strip()
            if len(value) >= 2 and value[0] == value[-1] == '"':
                value = value[1:-1]
            return value
    return None


def _attributes(
    *,
    domain: str | None,
    expires: str | None,
    max_age: int | None,
    secure: bool,
    httponly: bool,
    path: str | None,
    samesite: str | None,
    partitioned: bool,
) -> list[str]:
    parts: list[str] = []
    if domain:
        parts.append(f"Domain={domain}")
    if expires is not None:
        parts.append(f"Expires={expires}")
    if max_age is not None:
        parts.append(f"Max-Age={max_age}")
    if secure:
        parts.append("Secure")
    if httponly:
        parts.append("HttpOnly")
    if path is not None:
        parts.append(f"Path={path}")
    if samesite:
        parts.append(f"SameSite={samesite}")
    if partitioned:
        parts.append("Partitioned")
    return parts


def set_cookie_header(
    name: str,
    value: str,
    *,
    expires: datetime | None = None,
    domain: str | None = None,
    path: str | None = "/",
    secure: bool = False,
    httponly: bool = True,
    samesite: str | None = None,
    partitioned: bool = False,
) -> str:
    """Build a ``Set-Cookie`` value in Werkzeug's attribute order (``Expires``, no ``Max-Age``)."""
    when = None
    if expires is not None:
        when = format_datetime(expires.astimezone(timezone.utc).replace(microsecond=0), usegmt=True)
    attributes = _attributes(
        domain=domain,
        expires=when,
        max_age=None,
        secure=secure,
        httponly=httponly,
        path=path,
        samesite=samesite,
        partitioned=partitioned or False,
    )
    return "; ".join([f"{name}={value}", *attributes])


def delete_cookie_header(
    name: str,
    *,
    domain: str | None = None,
    path: str | None = "/",
    secure: bool = False,
    httponly: bool = True,
    samesite: str | None = None,
    partitioned: bool = False,
) -> str:
    """Build a ``Set-Cookie`` value that deletes the cookie (epoch ``Expires``, ``Max-Age=0``)."""
    attributes = _attributes(
        domain=domain,
        expires=_EPOCH,
        max_age=0,
        secure=secure,
        httponly=httponly,
        path=path,
        samesite=samesite,
        partitioned=partitioned,
    )
    return "; ".join([f"{name}=", *attributes])

"""The ``ALLOWED_HOSTS`` check: which ``Host`` headers an application answers.

A server reachable under names it does not own (a wildcard DNS entry, a shared load
balancer, a scanner sending ``Host: evil.example``) would otherwise build absolute URLs,
password-reset links and cache keys from a client-chosen value. With ``ALLOWED_HOSTS``
set, a request whose ``Host`` (port ignored) is not listed answers **400** before any hook
or handler runs, and a websocket handshake is refused. Unset, every host is answered (the
original's behaviour).

Entries are host names or addresses, compared case-insensitively: ``"example.com"`` matches
exactly, ``".example.com"`` or ``"*.example.com"`` matches the domain and every subdomain,
``"*"`` matches any host (the check is off). IPv6 literals are written without brackets
(``"::1"``).
"""

from collections.abc import Iterable, Mapping
from typing import Any

from ._setting_lists import string_list

__all__ = ["AllowedHosts", "allowed_hosts", "request_host"]


class AllowedHosts:
    """The parsed ``ALLOWED_HOSTS``: exact names and domain suffixes.

    Args:
        entries: host names; a leading ``.`` or ``*.`` makes an entry match its subdomains.
    """

    __slots__ = ("exact", "suffixes")

    def __init__(self, entries: Iterable[str]) -> None:
        exact: set[str] = set()
        suffixes: list[str] = []
        for raw in entries:
            entry = raw.strip().lower().rstrip(".")
            if entry.startswith("*."):
                entry = entry[1:]
            if entry.startswith("."):
                suffixes.append(entry)
                exact.add(entry[1:])
            elif entry:
                exact.add(entry.strip("[]"))
        #: Names matched exactly.
        self.exact = frozenset(exact)
        #: Domain suffixes (with their leading dot) whose subdomains match.
        self.suffixes = tuple(suffixes)

    def allows(self, host: str | None) -> bool:
        """Whether ``host`` (as :func:`request_host` returns it) is one of these."""
        if not host:
            return False
        return host in self.exact or host.endswith(self.suffixes)

    def admits(self, scope: Mapping[str, Any]) -> bool:
        """Whether the request (or handshake) of ``scope`` names one of these hosts."""
        return self.allows(request_host(scope))

    def __repr__(self) -> str:
        names = sorted(self.exact | {"*" + suffix for suffix in self.suffixes})
        return f"AllowedHosts({names!r})"


def allowed_hosts(value: Any) -> AllowedHosts | None:
    """Read ``ALLOWED_HOSTS``: ``None`` (no check) when unset, empty or containing ``"*"``.

    A string is a comma-separated list (as an environment override writes it).

    Raises:
        ConfigurationError: it is neither a string nor a list of strings.
    """
    names = string_list(value, setting="ALLOWED_HOSTS", example=".example.com")
    if names is None or "*" in names:
        return None
    return AllowedHosts(names)


def request_host(scope: Mapping[str, Any]) -> str | None:
    """The host a request names, lower-cased and without its port.

    Read from the ``Host`` header (HTTP/1.1 requires one); ``None`` when it is missing or
    malformed (a bracketed IPv6 literal left open, a non-numeric port).
    """
    header: bytes | None = None
    for name, value in scope.get("headers", ()):
        if name.lower() == b"host":
            header = value
            break
    if header is None:
        return None
    text = header.decode("latin-1").strip().lower()
    if text.startswith("["):
        end = text.find("]")
        if end < 0:
            return None
        host, rest = text[1:end], text[end + 1 :]
        if rest and not (rest.startswith(":") and rest[1:].isdigit()):
            return None
        return host or None
    host, colon, port = text.partition(":")
    if colon and not port.isdigit():
        return None
    return host.rstrip(".") or None

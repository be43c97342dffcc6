"""RPC clients of apistellar services: the runtime of ``apistellar create rpc`` clients.

A generated client subclasses :class:`RestfulApi`; each method is decorated with
:func:`register`, which resolves the service's address, fills path parameters, hands the
method a view of the client whose ``url`` is the endpoint's absolute URL and whose
``session`` sends requests through **one pooled** ``aiohttp`` session per client object,
with the endpoint's timeouts and the call's cookies. A JSON answer for which
``error_check`` is true raises :class:`BackendServiceError`; any other failure raises
:class:`BackendInternalError` (from the original exception). ``path`` picks a value out of
the answer (:func:`path_parse`).

Needs ``aiohttp`` (``pip install apistellar-web[rpc]``).
"""

import asyncio
import functools
import inspect
import logging
import re
from collections.abc import Awaitable, Callable, Mapping
from functools import reduce
from typing import Any
from urllib.parse import quote, urljoin

from ._handler_params import PLACEHOLDER
from .helpers import proxy

__all__ = [
    "BackendInternalError",
    "BackendServiceError",
    "RestfulApi",
    "path_parse",
    "query",
    "register",
]


class BackendServiceError(RuntimeError):
    """The service answered with an error (its JSON answer is ``args[0]``)."""


class BackendInternalError(RuntimeError):
    """Calling the service failed (the cause is ``__cause__``)."""


def _aiohttp() -> Any:
    try:
        import aiohttp
    except ImportError as error:  # pragma: no cover - the rpc extra is installed in tests
        msg = "RPC clients need aiohttp: pip install 'apistellar-web[rpc]'."
        raise ImportError(msg) from error
    return aiohttp


class RestfulApi:
    """Base of RPC clients: ``RestfulApi(lazy_addr_getter)`` or ``RestfulApi(host, port)``.

    ``lazy_addr_getter`` is an async function returning ``(host, port)``; it is called
    once, on first use. Close the client with ``await client.close()`` or use it as an
    async context manager.
    """

    def __init__(
        self,
        address: Callable[[], Awaitable[tuple[str, int]]] | str,
        port: int | None = None,
    ) -> None:
        if callable(address):
            self._rpc_getter: Callable[[], Awaitable[tuple[str, int]]] | None = address
            self._rpc_prefix: str | None = None
        else:
            if port is None:
                raise TypeError("RestfulApi(host, port) needs a port.")
            self._rpc_getter = None
            self._rpc_prefix = f"http://{address}:{port}"
        self._rpc_lock = asyncio.Lock()
        self._rpc_session: Any = None

    @functools.cached_property
    def logger(self) -> logging.Logger:
        """A logger named after the lower-cased class name."""
        return logging.getLogger(type(self).__name__.lower())

    async def url(self, path: str) -> str:
        """The absolute URL of ``path`` on the service."""
        if self._rpc_prefix is None:
            async with self._rpc_lock:
                if self._rpc_prefix is None:
                    assert self._rpc_getter is not None
                    host, port = await self._rpc_getter()
                    self._rpc_prefix = f"http://{host}:{port}"
        return urljoin(self._rpc_prefix, path)

    async def _client(self) -> Any:
        if self._rpc_session is None or self._rpc_session.closed:
            self._rpc_session = _aiohttp().ClientSession()
        return self._rpc_session

    async def close(self) -> None:
        """Close the pooled session."""
        if self._rpc_session is not None:
            await self._rpc_session.close()
            self._rpc_session = None

    async def __aenter__(self) -> "RestfulApi":
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()


class _Session:
    """What a client method sees as ``self.session``: the pooled session, with the
    endpoint's timeouts and the call's cookies added to every request."""

    def __init__(self, session: Any, timeout: Any, cookies: Mapping[str, str] | None) -> None:
        self._session = session
        self._timeout = timeout
        self._cookies = dict(cookies or {})

    async def request(self, method: str, url: str, **kwargs: Any) -> Any:
        """Send a request; the keyword arguments are aiohttp's."""
        kwargs.setdefault("timeout", self._timeout)
        if self._cookies:
            headers = dict(kwargs.pop("headers", None) or {})
            pairs = "; ".join(f"{name}={value}" for name, value in self._cookies.items())
            headers["Cookie"] = "; ".join(filter(None, (headers.get("Cookie"), pairs)))
            kwargs["headers"] = headers
        return await self._session.request(method, url, **kwargs)

    def __getattr__(self, method: str) -> Callable[..., Awaitable[Any]]:
        if method not in ("get", "post", "put", "patch", "delete", "head", "options"):
            raise AttributeError(method)
        return functools.partial(self.request, method.upper())


def _fill(url: str, values: Mapping[str, Any]) -> str:
    def value(match: re.Match[str]) -> str:
        if match.group(2) not in values:
            raise ValueError(f"Missing path parameter {match.group(2)!r} for {url}.")
        # {+name} may span segments; {name} may not: both are percent-encoded.
        return quote(str(values[match.group(2)]), safe="/" if match.group(1) else "")

    return PLACEHOLDER.sub(value, url)


def register(
    url: str,
    path: str | None = None,
    error_check: Callable[[Any], bool] | None = None,
    conn_timeout: float = 9,
    read_timeout: float = 9,
    have_path_param: bool = False,
) -> Callable[[Callable[..., Awaitable[Any]]], Callable[..., Awaitable[Any]]]:
    """Bind a client method to the endpoint ``url`` (see the module docstring)."""

    def decorate(func: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
        signature = inspect.signature(func)

        @functools.wraps(func)
        async def call(self: RestfulApi, *args: Any, **kwargs: Any) -> Any:
            cookies = kwargs.pop("cookies", None)
            target = await RestfulApi.url(self, url)
            if have_path_param:
                bound = signature.bind_partial(self, *args, **kwargs)
                target = _fill(target, bound.arguments.get("path_params") or {})
            logger = logging.getLogger(type(self).__name__.lower())
            logger.debug("Calling %s with %r %r", target, args, kwargs)
            timeout = _aiohttp().ClientTimeout(sock_connect=conn_timeout, sock_read=read_timeout)
            session = _Session(await RestfulApi._client(self), timeout, cookies)
            view = proxy(proxy(self, target, "url"), session, "session")
            data = None
            try:
                data = await func(view, *args, **kwargs)
                if error_check is not None and isinstance(data, dict) and error_check(data):
                    raise BackendServiceError(data)
            except BackendServiceError:
                raise
            except Exception as error:
                logger.error("Error in calling %s. return: %r", target, data)
                raise BackendInternalError(f"Calling {target} failed: {error!r}") from error
            return path_parse(path, data)

        return call

    return decorate


def _step(data: Any, key: str) -> Any:
    if isinstance(data, list | tuple) and key.lstrip("-").isdigit():
        return data[int(key)]
    return data[key]


def path_parse(path: str | None, data: Any) -> Any:
    """``data`` at the dotted ``path`` (numbers index lists): ``"a.b.1.c"`` picks 4 from
    ``{"a": {"b": [{"c": 3}, {"c": 4}]}}``; no path gives ``data``."""
    if not path:
        return data
    return reduce(_step, path.split("."), data)


def query(**values: Any) -> dict[str, Any]:
    """Query parameters for a request: ``None`` values left out, booleans as ``true``/``false``."""
    return {
        name: (str(value).lower() if isinstance(value, bool) else value)
        for name, value in values.items()
        if value is not None
    }

"""Persistence helpers: ``DriverMixin``, ``conn_manager``, ``PersistentType``.

A driver mixin opens a store (a connection, a cursor, a client) around each call of a
decorated method and hands the method a :func:`~apistellar_web.helpers.proxy` of ``self``
(or ``cls``) whose driver attribute is that store; the object itself is never modified,
so concurrent calls never share a store (the original's class-attribute approach raced).
``get_store`` is a ``@classmethod`` decorated with :func:`contextmanager`, sync or async,
chaining mixins through ``super().get_store(...)``; commit, roll back and release around
its ``yield``.

Sync and async mixins may be combined: an async ``get_store`` chains into the next one with
``async with`` (or :func:`enter_store`, which takes either kind), a sync one with ``with``.
A sync method of a class whose store chain is async still works: the chain is entered,
the method called and the chain left on a private event loop -- in the calling thread when
no loop runs there, else in a short-lived worker thread (the caller is blocked meanwhile,
as any sync call blocks it). A sync ``get_store`` may chain into an async one the same way.
Such a store must open what it uses (a connection bound to the app's loop cannot serve a
private one); async methods are the better fit for async stores.

``conn_manager`` skips the store when its debug callback says so: by default when the
environment variable ``UNIT_TEST_MODE`` is ``true``, so unit tests can call methods
without a database.
"""

import asyncio
import contextlib
import contextvars
import functools
import inspect
import os
import threading
from collections.abc import AsyncIterator, Callable, Collection, Iterator
from typing import Any, TypeVar

from .toolkit import get_callargs
from .types.model import Type, TypeMeta

__all__ = [
    "DriverMixin",
    "PersistentType",
    "conn_asyncable",
    "conn_asyncgen",
    "conn_debug",
    "conn_ignore",
    "conn_manager",
    "conn_proxy_driver_names",
    "contextmanager",
    "enter_store",
]

F = TypeVar("F", bound=Callable[..., Any])
_OPTIONS = "__conn_options__"
_proxy_names: contextvars.ContextVar[frozenset[str] | None] = contextvars.ContextVar(
    "apistellar-proxy-driver-names", default=None
)


class _PrivateLoop:
    """Runs coroutines to completion on an event loop of its own: in this thread when no
    loop runs here, else on a worker thread (a running loop cannot be re-entered)."""

    def __init__(self) -> None:
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            running = False
        else:
            running = True
        self.loop = asyncio.new_event_loop()
        self.thread: threading.Thread | None = None
        if running:
            self.thread = threading.Thread(
                target=self.loop.run_forever, name="apistellar-store", daemon=True
            )
            self.thread.start()

    def run(self, awaitable: Any) -> Any:
        """The result of ``awaitable`` (context variables of the caller are seen)."""
        if self.thread is None:
            return self.loop.run_until_complete(awaitable)
        return asyncio.run_coroutine_threadsafe(awaitable, self.loop).result()

    def close(self) -> None:
        """Stop the worker thread, if any, and close the loop."""
        try:
            self.run(self.loop.shutdown_asyncgens())
        finally:
            if self.thread is not None:
                self.loop.call_soon_threadsafe(self.loop.stop)
                self.thread.join()
            self.loop.close()


class _SyncEntry:
    """``with`` around an async context manager: driven on a :class:`_PrivateLoop`."""

    private: _PrivateLoop

    def __init__(self, manager: Any) -> None:
        self.manager = manager

    def __enter__(self) -> Any:
        self.private = _PrivateLoop()
        try:
            return self.private.run(self.manager.__aenter__())
        except BaseException:
            self.private.close()
            raise

    def __exit__(self, *exc: Any) -> Any:
        try:
            return self.private.run(self.manager.__aexit__(*exc))
        finally:
            self.private.close()


class _AsyncStore(contextlib._AsyncGeneratorContextManager):  # type: ignore[type-arg]
    """An async store; a plain ``with`` (a sync method, a sync ``get_store``) drives it on a
    private event loop."""

    def __enter__(self) -> Any:
        self._sync_entry = _SyncEntry(self)
        return self._sync_entry.__enter__()

    def __exit__(self, *exc: Any) -> Any:
        return self._sync_entry.__exit__(*exc)


def contextmanager(func: Callable[..., Any]) -> Callable[..., Any]:
    """``contextlib.contextmanager`` for generators, ``asynccontextmanager`` for async ones."""
    if inspect.isasyncgenfunction(func):

        @functools.wraps(func)
        def helper(*args: Any, **kwargs: Any) -> Any:
            return _AsyncStore(func, args, kwargs)

        return helper
    return contextlib.contextmanager(func)


def unit_test_mode() -> bool:
    """The default debug callback: ``UNIT_TEST_MODE`` is ``true`` (any case)."""
    return os.environ.get("UNIT_TEST_MODE", "").lower() == "true"


class DriverMixin:
    """Base of driver mixins; the end of the ``get_store`` chain yields the object itself."""

    @classmethod
    @contextmanager
    def get_store(cls, self_or_cls: Any, **callargs: Any) -> Iterator[Any]:
        """Yield ``self_or_cls`` (subclasses wrap it in a proxy carrying their driver)."""
        yield self_or_cls

    @classmethod
    def _need_proxy(cls, name: str) -> bool:
        """Whether the current call wants the driver attribute ``name`` injected."""
        names = _proxy_names.get()
        return names is None or name in names


def _options(func: Any) -> dict[str, Any]:
    return dict(getattr(func, _OPTIONS, {}))


def _set_option(func: F, **values: Any) -> F:
    target = func.__func__ if isinstance(func, classmethod | staticmethod) else func
    options = _options(target)
    options.update(values)
    setattr(target, _OPTIONS, options)
    return func


def conn_asyncable(func: F) -> F:
    """The method is sync but returns an awaitable: wrap it as async."""
    return _set_option(func, asyncable=True)


def conn_asyncgen(func: F) -> F:
    """The method returns an async iterator: keep the store open while it is consumed."""
    return _set_option(func, asyncgen=True)


def conn_proxy_driver_names(names: Collection[str]) -> Callable[[F], F]:
    """Only inject these driver attributes for this method."""
    if not isinstance(names, tuple | list | set | frozenset):
        raise AssertionError(
            "proxy_driver_names TypeError, tuple, MutableSequence, MutableSet need!"
        )
    return lambda func: _set_option(func, proxy_driver_names=frozenset(names))


def conn_debug(callback: Callable[[], bool]) -> Callable[[F], F]:
    """Call the method on the real object (no store) whenever ``callback()`` is true."""
    return lambda func: _set_option(func, debug_callback=callback)


def conn_ignore(func: F) -> F:
    """Never inject drivers into this method: it is always called on the real object."""
    return _set_option(func, debug_callback=_always)


def _always() -> bool:
    return True


def _callargs(
    func: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]
) -> dict[str, Any]:
    try:
        values = get_callargs(func, *args, **kwargs)
    except TypeError:
        return {}
    values.pop("cls", None)
    return values


def conn_manager(
    func: Any = None,
    *,
    debug_callback: Callable[[], bool] | None = None,
    proxy_driver_names: Collection[str] | None = None,
    asyncable: bool = False,
    asyncgen: bool = False,
) -> Any:
    """Open the stores of ``self``'s driver mixins around each call (bare or configured).

    The first argument of the method (``self`` or ``cls``) is replaced by a proxy carrying
    the drivers; sync methods use ``with``, coroutine functions ``async with``, async
    generators keep the store open while iterated.
    """
    if proxy_driver_names is not None and not isinstance(
        proxy_driver_names, tuple | list | set | frozenset
    ):
        raise AssertionError(
            "proxy_driver_names TypeError, tuple, MutableSequence, MutableSet need!"
        )

    def decorate(method: Any) -> Any:
        if isinstance(method, classmethod):
            return classmethod(decorate(method.__func__))
        options = {
            "debug_callback": debug_callback,
            "proxy_driver_names": frozenset(proxy_driver_names)
            if proxy_driver_names is not None
            else None,
            "asyncable": asyncable,
            "asyncgen": asyncgen,
            **{k: v for k, v in _options(method).items() if v is not None},
        }
        debug = options["debug_callback"] or unit_test_mode
        names = options["proxy_driver_names"]

        def store(args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
            owner = args[0]
            return owner.get_store(owner, **_callargs(method, args, kwargs))

        if inspect.isasyncgenfunction(method) or options["asyncgen"]:

            @functools.wraps(method)
            async def agen_wrapper(*args: Any, **kwargs: Any) -> AsyncIterator[Any]:
                if debug():
                    async for item in method(*args, **kwargs):
                        yield item
                    return
                token = _proxy_names.set(names)
                try:
                    async with _async_store(store(args, kwargs)) as proxied:
                        async for item in method(proxied, *args[1:], **kwargs):
                            yield item
                finally:
                    _proxy_names.reset(token)

            return agen_wrapper

        if inspect.iscoroutinefunction(method) or options["asyncable"]:

            @functools.wraps(method)
            async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
                if debug():
                    result = method(*args, **kwargs)
                    return await result if inspect.isawaitable(result) else result
                token = _proxy_names.set(names)
                try:
                    async with _async_store(store(args, kwargs)) as proxied:
                        result = method(proxied, *args[1:], **kwargs)
                        return await result if inspect.isawaitable(result) else result
                finally:
                    _proxy_names.reset(token)

            return async_wrapper

        @functools.wraps(method)
        def sync_wrapper(*args: Any, **kwargs: Any) -> Any:
            if debug():
                return method(*args, **kwargs)
            token = _proxy_names.set(names)
            try:
                manager = store(args, kwargs)
                if isinstance(manager, _AsyncStore) or not hasattr(manager, "__enter__"):
                    return _run_privately(_call_in(manager, method, args, kwargs))
                with manager as proxied:
                    return method(proxied, *args[1:], **kwargs)
            finally:
                _proxy_names.reset(token)

        return sync_wrapper

    if func is not None:
        return decorate(func)
    return decorate


async def _call_in(
    manager: Any, method: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]
) -> Any:
    """Call a sync ``method`` inside an async store chain (on the private loop's thread, so
    the drivers it opens are used in the thread that opened them)."""
    async with manager as proxied:
        return method(proxied, *args[1:], **kwargs)


def _run_privately(coroutine: Any) -> Any:
    private = _PrivateLoop()
    try:
        return private.run(coroutine)
    finally:
        private.close()


def enter_store(manager: Any) -> Any:
    """Enter the next ``get_store`` of the chain from an async ``get_store``, sync or async."""
    return _async_store(manager)


@contextlib.asynccontextmanager
async def _async_store(manager: Any) -> AsyncIterator[Any]:
    """Enter a store, async or sync, from async code."""
    if hasattr(manager, "__aenter__"):
        async with manager as proxied:
            yield proxied
    else:
        with manager as proxied:
            yield proxied


class PersistentMeta(TypeMeta):
    """Wraps the functions and classmethods of the class body with ``conn_manager``: all but
    dunder and private (``__name``) methods, staticmethods and ``get_store``."""

    def __new__(
        mcs, name: str, bases: tuple[type, ...], namespace: dict[str, Any], **kwargs: Any
    ) -> Any:
        for key, value in list(namespace.items()):
            if isinstance(value, staticmethod):
                continue
            raw = value.__func__ if isinstance(value, classmethod) else value
            if not inspect.isfunction(raw) or key == "get_store":
                continue
            # A private ``__name`` is stored mangled (``_Class__name``): its function's
            # ``__name__`` still starts with two underscores, as dunders' do.
            if key.startswith("__") or raw.__name__.startswith("__"):
                continue
            namespace[key] = conn_manager(value)
        return super().__new__(mcs, name, bases, namespace, **kwargs)


class PersistentType(Type, DriverMixin, metaclass=PersistentMeta):
    """A ``Type`` whose methods open their driver mixins' stores automatically."""

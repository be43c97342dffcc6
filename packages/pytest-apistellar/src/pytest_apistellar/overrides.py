"""Settings changed by a test: the ``settings`` fixture, and what a served app must see.

A change is made twice, through ``apistellar_config.override_settings``:

* in the test's own context, so the test, code it calls and the in-process clients (which
  carry the caller's context into the app) see it;
* in the process-wide record of :func:`active_overrides`, which the live ``server``
  applies around every request, since its thread cannot see the test's context.

Some values an ``Application`` reads once at start-up (``DEBUG`` becomes ``app.debug``,
...); :func:`startup_attributes` puts overridden ones on the app while requests run.

A served request can still be finishing (its ``finally`` blocks, after the response was
sent) when the test that made it ends; forgetting a test's overrides therefore waits for
the requests in flight, so the next test never sees the app with the previous test's
values, and requests overlapping in two threads restore the app's own values once.
"""

import contextlib
import threading
from collections.abc import Callable, Iterator
from typing import Any

from apistellar_config import override_settings, settings

__all__ = ["SettingsFixture", "active_overrides", "publish", "startup_attributes"]

#: Settings an ``Application`` reads at start-up, the attribute holding each, and its cast.
STARTUP_ATTRIBUTES: dict[str, tuple[str, Callable[[str], Any]]] = {
    "DEBUG": ("debug", lambda key: settings.get_bool(key, False)),
    "APP_ERROR_STATUS": ("error_status", lambda key: settings.get_int(key, 200)),
    "MAX_BODY_SIZE": ("max_body_size", lambda key: settings.get_int(key)),
    "WEBSOCKET_MAX_MESSAGE_SIZE": ("websocket_max_message", lambda key: settings.get_int(key)),
}

#: How long forgetting overrides waits for requests still finishing, in seconds.
SETTLE_TIMEOUT = 10.0

_published: dict[str, dict[str, Any]] = {}
_in_flight = threading.Condition()
_running = 0
#: The app's own values of the attributes requests in flight replaced: (app id, name) ->
#: (app, value), restored when the last of them ends.
_replaced: dict[tuple[int, str], tuple[Any, Any]] = {}


def publish(source: str, values: dict[str, Any] | None) -> None:
    """Record (or, with ``None``, forget) the overrides of ``source`` for served apps.

    Forgetting waits (up to :data:`SETTLE_TIMEOUT`) until no request that applied
    overrides is still running, so their start-up attributes are restored first.
    """
    if values:
        _published[source] = dict(values)
        return
    with _in_flight:
        _in_flight.wait_for(lambda: _running == 0, timeout=SETTLE_TIMEOUT)
        _published.pop(source, None)


def active_overrides() -> dict[str, Any]:
    """The settings the running test overrides (markers first, then the fixture)."""
    merged: dict[str, Any] = {}
    for source in ("markers", "fixture"):
        merged.update(_published.get(source, {}))
    return merged


@contextlib.contextmanager
def startup_attributes(app: Any, keys: Any) -> Iterator[None]:
    """Give ``app`` the start-up attributes of the overridden ``keys`` for the block.

    Blocks may overlap (the in-process client and the live server run in their own
    threads): the app's own values are kept from the first, and restored by the last.
    """
    global _running
    wanted = [key for key in keys if key in STARTUP_ATTRIBUTES]
    if not wanted:  # nothing read at start-up is overridden: the app is left as it is
        yield
        return
    with _in_flight:
        _running += 1
        for key in wanted:
            attribute, read = STARTUP_ATTRIBUTES[key]
            if not hasattr(app, attribute):
                continue
            value = read(key)
            if value is None:
                continue
            _replaced.setdefault((id(app), attribute), (app, getattr(app, attribute)))
            setattr(app, attribute, value)
    try:
        yield
    finally:
        with _in_flight:
            _running -= 1
            if _running == 0:
                for (_, attribute), (target, value) in _replaced.items():
                    setattr(target, attribute, value)
                _replaced.clear()
                _in_flight.notify_all()


class SettingsFixture:
    """The ``settings`` fixture: ``settings.DEBUG = True`` or ``settings["X"] = v`` in a test.

    Reads go to the process-wide settings (so they show the changes); every change lasts
    until the end of the test. Deleting a setting is not supported: override it with the
    value the code under test should see instead.
    """

    def __init__(self) -> None:
        object.__setattr__(self, "_values", {})
        object.__setattr__(self, "_stack", contextlib.ExitStack())

    def _set(self, name: str, value: Any) -> None:
        self._stack.enter_context(override_settings({name: value}))
        self._values[name] = value
        publish("fixture", self._values)

    def __setattr__(self, name: str, value: Any) -> None:
        self._set(name, value)

    def __setitem__(self, key: str, value: Any) -> None:
        self._set(key, value)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(settings, name)

    def __getitem__(self, key: str) -> Any:
        return settings[key]

    def __contains__(self, key: object) -> bool:
        return key in settings

    def __delattr__(self, name: str) -> None:
        msg = f"Settings cannot be deleted in a test; override {name!r} with another value."
        raise AttributeError(msg)

    __delitem__ = __delattr__

    def get(self, key: str, default: Any = None) -> Any:
        """``settings.get(key, default)`` of the process-wide settings."""
        return settings.get(key, default)

    @property
    def changed(self) -> dict[str, Any]:
        """The settings this test changed, and their values."""
        return dict(self._values)

    def __repr__(self) -> str:
        return f"<settings fixture, changed: {sorted(self._values)!r}>"

    def close(self) -> None:
        """Undo every change (the fixture does this after the test)."""
        publish("fixture", None)
        self._values.clear()
        stack: contextlib.ExitStack = self._stack
        # A change made inside an async test lives in that test's own context, gone by
        # now: resetting it there is impossible (ValueError) and unneeded. The stack still
        # undoes every other change before re-raising.
        with contextlib.suppress(ValueError):
            stack.close()

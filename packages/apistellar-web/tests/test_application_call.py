"""``Application.call``: any callable injected outside a request; ``load_settings=False``."""

import asyncio
import inspect
from typing import Any

import pytest
from apistar import App, http
from apistar.server.asgi import ASGIScope

from apistellar_config import init_settings, settings
from apistellar_web import Application, Component, ConfigurationError, Service


class Mailer(Service):
    """A service nothing registers: the app makes it its own component on first use."""

    def send(self) -> str:
        return "sent"


class Counter:
    pass


class CounterComponent(Component):
    """A new ``Counter`` each time it resolves: shows when a value is reused."""

    def __init__(self) -> None:
        self.made = 0

    def resolve(self) -> Counter:
        self.made += 1
        return Counter()


class FakeMailer(Component):
    def can_handle_parameter(self, parameter: inspect.Parameter) -> bool:
        return parameter.annotation is Mailer

    def resolve(self) -> str:
        return "fake"


def test_call_injects_services_the_app_and_the_offline_scope(make_app):
    app = make_app()

    async def task(mailer: Mailer, scope: ASGIScope, running: App) -> tuple[str, str, bool]:
        return mailer.send(), scope["type"], running is app

    assert asyncio.run(app.call(task)) == ("sent", "solo", True)
    assert asyncio.run(app.call(task, kind="script"))[1] == "script"


def test_call_returns_what_a_plain_function_returns(make_app):
    app = make_app(settings="SECRET_KEY = 'k'\nGREETING = 'hi'\n")

    def task(mailer: Mailer) -> str:
        return f"{settings.GREETING}, {mailer.send()}"

    assert asyncio.run(app.call(task)) == "hi, sent"


def test_a_shared_state_resolves_components_once(make_app):
    counter = CounterComponent()
    app = make_app(components=[counter])

    def task(value: Counter) -> Counter:
        return value

    state: dict[str, Any] = {}
    first = asyncio.run(app.call(task, state=state))
    assert asyncio.run(app.call(task, state=state)) is first
    assert state["app"] is app and state["scope"]["type"] == "solo"
    assert asyncio.run(app.call(task)) is not first
    assert counter.made == 2


def test_state_values_win_over_the_offline_ones(make_app):
    app = make_app()

    def task(params: http.PathParams) -> Any:
        return params

    assert asyncio.run(app.call(task)) == {}
    assert asyncio.run(app.call(task, state={"path_params": {"id": "7"}})) == {"id": "7"}


def test_components_are_tried_before_the_apps(make_app):
    app = make_app()

    def task(mailer: Mailer) -> Any:
        return mailer

    assert asyncio.run(app.call(task, components=[FakeMailer()])) == "fake"
    assert isinstance(asyncio.run(app.call(task)), Mailer)  # the app's own is untouched


def test_call_names_a_parameter_nothing_provides(make_app):
    app = make_app()

    def task(clock: Counter) -> None:
        return None

    with pytest.raises(ConfigurationError, match='"clock" on function'):
        asyncio.run(app.call(task))


def test_load_settings_false_keeps_the_process_settings(project):
    root = project(settings="GREETING = 'from the project'\nDEBUG = True\n", name="own")
    loaded = project(settings="GREETING = 'loaded before'\n", name="suite")
    init_settings(search_path=loaded)

    app = Application("t", current_dir=root, discover=False, load_settings=False)
    assert settings.GREETING == "loaded before" and app.debug is False
    assert "MAX_BODY_SIZE" not in settings  # not even the framework defaults are merged in

    app = Application("t", current_dir=root, discover=False)
    assert settings.GREETING == "from the project" and app.debug is True

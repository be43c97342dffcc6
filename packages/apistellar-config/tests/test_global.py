import asyncio
import threading

import pytest

import apistellar_config
from apistellar_config import (
    SettingsLoadError,
    SettingsMixin,
    init_settings,
    override_settings,
    settings,
)


@pytest.fixture(autouse=True)
def _restore_global_settings(tmp_path):
    yield
    init_settings(search_path=tmp_path / "empty")


def test_init_settings_really_reloads(tmp_path, write):
    write("first.py", "WHO = 'first'\n")
    write("second.py", "WHO = 'second'\n")
    init_settings("first", search_path=tmp_path)
    assert settings.WHO == "first"
    assert init_settings("second", search_path=tmp_path) is settings
    assert settings.WHO == "second"
    write("second.py", "WHO = 'edited'\n")
    init_settings("second", search_path=tmp_path)
    assert settings.WHO == "edited"


def test_failed_reload_keeps_the_previous_values(tmp_path, write):
    write("good.py", "WHO = 'good'\n")
    write("bad.py", "WHO = \n")
    init_settings("good", search_path=tmp_path)
    with pytest.raises(SettingsLoadError):
        init_settings("bad", search_path=tmp_path)
    assert settings.WHO == "good"


def test_names_imported_early_see_the_current_load(tmp_path, write):
    from apistellar_config import settings as early

    write("settings.py", "A = 1\n")
    init_settings(search_path=tmp_path)
    assert early.A == 1 and apistellar_config.settings is early


def test_settings_mixin_reflects_the_current_load_and_adds_nothing_else(tmp_path, write):
    class Service(SettingsMixin):
        pass

    write("settings.py", "A = 1\n")
    init_settings(search_path=tmp_path)
    assert Service.settings.A == 1 and Service().settings.A == 1
    write("settings.py", "A = 2\n")
    init_settings(search_path=tmp_path)
    assert Service.settings.A == 2
    assert {name for name in vars(SettingsMixin) if not name.startswith("__")} == {"settings"}


def test_override_restores_on_exit_and_on_error(tmp_path, write):
    write("settings.py", "A = 1\nB = {'x': 1}\n")
    init_settings(search_path=tmp_path)
    with override_settings(A=2, NEW=[1]):
        assert settings.A == 2 and settings.NEW == [1]
        with override_settings({"A": 3}):
            assert settings.A == 3
        assert settings.A == 2
    assert settings.A == 1 and "NEW" not in settings
    with pytest.raises(RuntimeError), override_settings(A=9):
        raise RuntimeError
    assert settings.A == 1
    with pytest.raises(ValueError, match="upper-case"), override_settings(a=1):
        pass


def test_override_as_decorator(tmp_path, write):
    write("settings.py", "A = 1\n")
    init_settings(search_path=tmp_path)

    @override_settings(A=5)
    def read() -> int:
        return settings.A

    assert read() == 5 and settings.A == 1


def test_override_does_not_leak_between_concurrent_tasks(tmp_path, write):
    write("settings.py", "A = 0\n")
    init_settings(search_path=tmp_path)

    async def worker(value: int, seen: list[int]) -> None:
        with override_settings(A=value):
            for _ in range(5):
                await asyncio.sleep(0)
                seen.append(settings.A)
            child = await asyncio.create_task(asyncio.sleep(0, result=settings.A))
            seen.append(child)

    async def main() -> tuple[list[int], list[int]]:
        first: list[int] = []
        second: list[int] = []
        await asyncio.gather(worker(1, first), worker(2, second))
        return first, second

    first, second = asyncio.run(main())
    assert first == [1] * 6 and second == [2] * 6
    assert settings.A == 0


def test_override_does_not_leak_between_threads(tmp_path, write):
    write("settings.py", "A = 0\n")
    init_settings(search_path=tmp_path)
    inside = threading.Event()
    release = threading.Event()
    seen: list[int] = []

    def overriding() -> None:
        with override_settings(A=1):
            inside.set()
            release.wait(5)
            seen.append(settings.A)

    thread = threading.Thread(target=overriding)
    thread.start()
    assert inside.wait(5)
    seen.append(settings.A)
    release.set()
    thread.join(5)
    assert seen == [0, 1]

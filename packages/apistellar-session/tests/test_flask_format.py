"""Byte compatibility with Flask 3.x: golden vector and two-way interop with a real Flask."""

import datetime
import uuid

import flask
import pytest
from flask.sessions import SecureCookieSessionInterface
from markupsafe import Markup

from apistellar_session import SessionConfig, SignedCookieBackend

FROZEN = 1_700_000_000
GOLDEN = (
    ".eJx9jDELwjAQhf9KeHPAJEaQUAtOgiA4dBMJDWbo0FDSBISS_-4lOnvDd9x3j7fBLj7OY_AhwaSYPYeD2cCION-PJxSOVzNEDBRgQrHr"
    "GJgSSjOxN0IbcWCX21Cjc4sS0bn-3e1cX23wa_K_lqmtZC2MLPRL3xvmIbl6kshNECH-j6zVefXRTtStVfkAi4413g.ZVPxAA."
    "KiS_jzxBuDcXjeqXyrCAgFyooEk"
)
GOLDEN_DATA = {
    "user_id": 42,
    "t": (1, 2),
    "b": b"\x00\xff",
    "u": uuid.UUID(int=1),
    "d": datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc),
    "m": Markup("<b>x</b>"),
    "nested": {" t": 1},
    "_permanent": True,
}

SAMPLES = [
    pytest.param({"user_id": 42}, id="int"),
    pytest.param({"name": "Zoë ☃", "ok": True, "none": None, "f": 1.5}, id="plain"),
    pytest.param({"pair": (1, "a", (2, 3))}, id="tuple"),
    pytest.param({"raw": b"\x00\x01binary\xff"}, id="bytes"),
    pytest.param({"html": Markup("<i>hi</i>")}, id="markup"),
    pytest.param({"id": uuid.UUID("12345678-1234-5678-1234-567812345678")}, id="uuid"),
    pytest.param(
        {"at": datetime.datetime(2030, 5, 6, 7, 8, 9, tzinfo=datetime.timezone.utc)}, id="datetime"
    ),
    pytest.param({"tricky": {" t": [1]}, "deep": [{" u": "x"}]}, id="dict-with-tag-key"),
    pytest.param({"big": "x" * 3000}, id="compressed"),
    pytest.param({"_permanent": True, "user": "ann"}, id="permanent"),
    pytest.param({"_flashes": [("message", "hello")]}, id="flashes"),
]


def backend(secret="dev-secret", fallbacks=(), clock=None, **options):
    config = SessionConfig.from_options(
        secret_key=secret, SECRET_KEY_FALLBACKS=list(fallbacks), **options
    )
    return SignedCookieBackend(config, clock=clock)


def flask_app(secret="dev-secret", fallbacks=None):
    app = flask.Flask(__name__)
    app.config.update(SECRET_KEY=secret, SECRET_KEY_FALLBACKS=fallbacks)
    return app


def flask_dumps(app, data):
    with app.app_context():
        return SecureCookieSessionInterface().get_signing_serializer(app).dumps(data)


def flask_loads(app, value):
    with app.app_context():
        serializer = SecureCookieSessionInterface().get_signing_serializer(app)
        return serializer.loads(value, max_age=int(app.permanent_session_lifetime.total_seconds()))


def test_golden_vector_is_produced_byte_for_byte():
    assert backend(clock=lambda: FROZEN).encode(GOLDEN_DATA) == GOLDEN


def test_golden_vector_loads_back(monkeypatch):
    loaded = backend(clock=lambda: FROZEN + 60).decode(GOLDEN)
    assert loaded == GOLDEN_DATA
    assert isinstance(loaded["m"], Markup) and isinstance(loaded["t"], tuple)


def test_golden_vector_from_a_real_flask(monkeypatch):
    import itsdangerous.timed

    monkeypatch.setattr(itsdangerous.timed.TimestampSigner, "get_timestamp", lambda self: FROZEN)
    assert flask_dumps(flask_app(), GOLDEN_DATA) == GOLDEN


@pytest.mark.parametrize("data", SAMPLES)
def test_cookie_written_here_is_read_by_flask(data):
    value = backend().encode(data)
    if "big" in data:
        assert value.startswith(".")  # the compression marker
    if data == {"user_id": 42}:
        assert not value.startswith(".")  # too short to gain from compression
    assert flask_loads(flask_app(), value) == data


@pytest.mark.parametrize("data", SAMPLES)
def test_cookie_written_by_flask_is_read_here(data):
    value = flask_dumps(flask_app(), data)
    assert backend().decode(value) == data


@pytest.mark.parametrize("data", SAMPLES)
def test_same_bytes_as_flask_at_the_same_second(data, monkeypatch):
    import itsdangerous.timed

    monkeypatch.setattr(itsdangerous.timed.TimestampSigner, "get_timestamp", lambda self: FROZEN)
    assert backend(clock=lambda: FROZEN).encode(data) == flask_dumps(flask_app(), data)


def test_fallback_keys_both_ways():
    old_here = backend(secret="old-key").encode({"user": "ann"})
    old_flask = flask_dumps(flask_app(secret="old-key"), {"user": "bob"})
    rotated = backend(secret="new-key", fallbacks=["older-key", "old-key"])
    assert rotated.decode(old_here) == {"user": "ann"}
    assert rotated.decode(old_flask) == {"user": "bob"}
    # Always signed with the current key: Flask with only the new key reads it.
    assert flask_loads(flask_app(secret="new-key"), rotated.encode({"user": "cy"})) == {
        "user": "cy"
    }
    flask_rotated = flask_app(secret="new-key", fallbacks=["old-key"])
    assert flask_loads(flask_rotated, old_here) == {"user": "ann"}
    assert backend(secret="old-key").decode(flask_dumps(flask_rotated, {"x": 1})) is None

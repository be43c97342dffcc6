"""The session object's tracking, and Flask's save rules (peers.md §2.7)."""

import logging
import os
from datetime import timedelta

import pytest

from apistellar_session import Session, SessionConfig, SessionConfigError, SignedCookieBackend

NOW = 1_800_000_000


def make_backend(**options):
    options.setdefault("secret_key", "k")
    return SignedCookieBackend(SessionConfig.from_options(**options), clock=lambda: NOW)


READS = [
    pytest.param(lambda s: s.get("a"), id="get"),
    pytest.param(lambda s: s["a"], id="getitem"),
    pytest.param(lambda s: "a" in s, id="contains"),
    pytest.param(len, id="len"),
    pytest.param(list, id="iter"),
    pytest.param(lambda s: s.keys(), id="keys"),
    pytest.param(lambda s: s.items(), id="items"),
    pytest.param(lambda s: s.values(), id="values"),
    pytest.param(lambda s: s.permanent, id="permanent"),
]


@pytest.mark.parametrize("read", READS)
def test_every_read_marks_accessed_but_not_modified(read):
    session = Session({"a": 1})
    read(session)
    assert session.accessed and not session.modified


WRITES = [
    pytest.param(lambda s: s.__setitem__("b", 2), id="setitem"),
    pytest.param(lambda s: s.__delitem__("a"), id="delitem"),
    pytest.param(lambda s: s.clear(), id="clear"),
    pytest.param(lambda s: s.pop("a"), id="pop"),
    pytest.param(lambda s: s.pop("zz", None), id="pop-default"),
    pytest.param(lambda s: s.popitem(), id="popitem"),
    pytest.param(lambda s: s.setdefault("c", 3), id="setdefault"),
    pytest.param(lambda s: s.update(d=4), id="update"),
    pytest.param(lambda s: s.__ior__({"e": 5}), id="ior"),
    pytest.param(lambda s: setattr(s, "permanent", True), id="permanent"),
]


@pytest.mark.parametrize("write", WRITES)
def test_every_top_level_write_marks_modified(write):
    session = Session({"a": 1})
    write(session)
    assert session.modified and session.accessed


def test_nested_mutation_is_not_seen_without_setting_modified():
    session = Session({"cart": [1]})
    session["cart"].append(2)
    session.modified = False
    session.accessed = False
    session.get("cart").append(3)
    assert not session.modified


def test_permanent_is_stored_like_flask():
    session = Session()
    session.permanent = True
    assert dict(session) == {"_permanent": True}


def test_untouched_session_adds_nothing():
    result = make_backend().save_sync(Session({"a": 1}, new=False))
    assert result.set_cookie == [] and not result.vary_cookie


def test_read_only_adds_vary_cookie_even_when_empty():
    session = Session()
    assert "user" not in session
    result = make_backend().save_sync(session)
    assert result.set_cookie == [] and result.vary_cookie


def test_modified_session_sets_a_browser_session_cookie():
    session = Session()
    session["user"] = "ann"
    result = make_backend().save_sync(session)
    (header,) = result.set_cookie
    assert header.startswith("session=") and header.endswith("; HttpOnly; Path=/; SameSite=Lax")
    assert "Expires" not in header and "Max-Age" not in header and result.vary_cookie


def test_permanent_session_gets_expires_and_no_max_age():
    session = Session()
    session.permanent = True
    session["user"] = "ann"
    (header,) = (
        make_backend(permanent_session_lifetime=timedelta(days=2)).save_sync(session).set_cookie
    )
    assert "; Expires=Sun, 17 Jan 2027 08:00:00 GMT; HttpOnly; Path=/; SameSite=Lax" in header
    assert "Max-Age" not in header


def test_permanent_session_is_refreshed_on_every_response_with_vary():
    backend = make_backend()
    value = backend.encode({"_permanent": True, "user": "ann"})
    session = backend.load_sync(f"session={value}")
    result = backend.save_sync(session)
    assert len(result.set_cookie) == 1 and result.vary_cookie  # CVE-2023-30861: Vary on refresh


def test_no_refresh_when_disabled_and_never_for_non_permanent():
    backend = make_backend(session_refresh_each_request=False)
    session = backend.load_sync(f"session={backend.encode({'_permanent': True, 'u': 1})}")
    assert backend.save_sync(session).set_cookie == []
    plain = make_backend()
    session = plain.load_sync(f"session={plain.encode({'u': 1})}")
    assert plain.save_sync(session).set_cookie == []


def test_emptied_session_deletes_the_cookie():
    backend = make_backend()
    session = backend.load_sync(f"session={backend.encode({'u': 1})}")
    session.clear()
    result = backend.save_sync(session)
    assert result.set_cookie == [
        "session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; Path=/; SameSite=Lax"
    ]
    assert result.vary_cookie


def test_cookie_attributes_come_from_configuration_only():
    backend = make_backend(
        session_cookie_name="sid",
        session_cookie_domain="example.com",
        session_cookie_path="/app",
        session_cookie_secure=True,
        session_cookie_httponly=False,
        session_cookie_samesite="lax",
        session_cookie_partitioned=True,
    )
    session = Session()
    session["a"] = 1
    (header,) = backend.save_sync(session).set_cookie
    assert header.startswith("sid=")
    assert header.endswith("; Domain=example.com; Secure; Path=/app; SameSite=Lax; Partitioned")


@pytest.mark.parametrize("value", [False, ""])
def test_samesite_can_be_left_out_as_flask_does(value):
    session = Session()
    session["a"] = 1
    (header,) = make_backend(session_cookie_samesite=value).save_sync(session).set_cookie
    assert "SameSite" not in header and header.endswith("; HttpOnly; Path=/")


def test_samesite_none_from_settings_keeps_the_lax_default():
    config = SessionConfig.from_options({"SECRET_KEY": "s", "SESSION_COOKIE_SAMESITE": None})
    assert config.cookie_samesite == "Lax"


def test_oversized_cookie_is_refused_with_a_logged_error(caplog):
    session = Session()
    session["blob"] = os.urandom(4000)  # random bytes do not compress: over 4093 once encoded
    with caplog.at_level(logging.ERROR, logger="apistellar.session"):
        result = make_backend().save_sync(session)
    assert result.set_cookie == []
    assert "MAX_COOKIE_SIZE" in caplog.text


def test_configuration_names_and_defaults():
    config = SessionConfig.from_options({"SECRET_KEY": "s", "UNRELATED": 1, "DEBUG": True})
    assert config.cookie_name == "session" and config.cookie_path == "/"
    assert config.cookie_httponly and not config.cookie_secure and config.cookie_samesite == "Lax"
    assert config.permanent_lifetime == timedelta(days=31) and config.refresh_each_request
    assert config.max_age == 31 * 86400 and config.max_cookie_size == 4093
    assert (
        SessionConfig.from_options(secret_key="s", PERMANENT_SESSION_LIFETIME=7200).max_age == 7200
    )
    assert (
        SessionConfig.from_options({"SECRET_KEY": "s", "APPLICATION_ROOT": "/x"}).cookie_path
        == "/x"
    )


@pytest.mark.parametrize(
    ("options", "message"),
    [
        pytest.param({}, "SECRET_KEY is required", id="no-key"),
        pytest.param({"secret_key": ""}, "SECRET_KEY is required", id="empty-key"),
        pytest.param(
            {"secret_key": "s", "SESSION_COOKIE_SAMESITE": "sometimes"}, "SAMESITE", id="samesite"
        ),
        pytest.param(
            {"secret_key": "s", "PERMANENT_SESSION_LIFETIME": -1}, "positive", id="lifetime"
        ),
        pytest.param(
            {"secret_key": "s", "PERMANENT_SESSION_LIFETIME": "long"}, "seconds", id="lifetime-type"
        ),
        pytest.param(
            {"secret_key": "s", "SECRET_KEY_FALLBACKS": [1]}, "FALLBACKS", id="fallback-type"
        ),
        pytest.param({"secret_key": "s", "MAX_COOKIE_SIZE": 0}, "MAX_COOKIE_SIZE", id="size"),
    ],
)
def test_bad_configuration_is_a_clear_error(options, message):
    with pytest.raises(SessionConfigError, match=message):
        SessionConfig.from_options(**options)


def test_unknown_keyword_is_rejected_with_the_valid_names():
    with pytest.raises(TypeError, match="session_cookie_name"):
        SessionConfig.from_options(secret_key="s", cookie_nmae="x")


def test_lifetime_in_days_style_warns(caplog):
    with caplog.at_level(logging.WARNING, logger="apistellar.session"):
        SessionConfig.from_options(secret_key="s", PERMANENT_SESSION_LIFETIME=31)
    assert "days" in caplog.text

"""Property-based fuzzing of the session cookie: round trips, Flask interop, hostile input.

Example counts are small and fixed in the default run (derandomized: the same examples
every time); ``APISTELLAR_FUZZ_PROFILE=fuzz`` (the ``fuzz`` nox session) runs many more,
new ones each run, and ``APISTELLAR_FUZZ_EXAMPLES=N`` sets the count outright.
"""

import asyncio
import base64
import datetime
import hashlib
import os
import uuid

import flask
import pytest
from flask.sessions import SecureCookieSessionInterface
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from itsdangerous import URLSafeTimedSerializer

from apistellar_session import (
    MemoryStore,
    ServerSideBackend,
    Session,
    SessionConfig,
    SignedCookieBackend,
)

settings.register_profile(
    "apistellar-default",
    derandomize=True,  # the default run tries the same examples every time: no flaky CI
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "apistellar-fuzz", max_examples=5000, deadline=None, suppress_health_check=list(HealthCheck)
)
FUZZ = settings(
    settings.get_profile(
        "apistellar-fuzz"
        if os.environ.get("APISTELLAR_FUZZ_PROFILE") == "fuzz"
        else "apistellar-default"
    ),
    **(
        {"max_examples": int(os.environ["APISTELLAR_FUZZ_EXAMPLES"])}
        if os.environ.get("APISTELLAR_FUZZ_EXAMPLES")
        else {}
    ),
)

SECRET = "fuzz-secret"

# The datetimes Flask's format keeps: whole seconds, UTC, four-digit years from 1900 on
# (an HTTP date of a year under 100 is read back as 19xx/20xx, by Flask as well).
datetimes = st.datetimes(
    min_value=datetime.datetime(1900, 1, 1),
    max_value=datetime.datetime(9999, 12, 31),
    timezones=st.just(datetime.timezone.utc),
).map(lambda moment: moment.replace(microsecond=0))
scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text()
    | st.binary(max_size=64)
    | st.uuids()
    | datetimes
)
# Keys include Flask's tag strings, so dicts that look like tagged values are generated too.
keys = st.text(max_size=6) | st.sampled_from([" t", " b", " u", " d", " m", " di", " t__"])
values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4)
        | st.lists(children, max_size=3).map(tuple)
        | st.dictionaries(keys, children, max_size=4)
    ),
    max_leaves=16,
)
sessions = st.dictionaries(keys, values, max_size=6)


def backend() -> SignedCookieBackend:
    return SignedCookieBackend(SessionConfig.from_options(secret_key=SECRET))


FLASK_APP = flask.Flask(__name__)
FLASK_APP.config.update(SECRET_KEY=SECRET)


def flask_serializer() -> URLSafeTimedSerializer:
    """Flask's own cookie serializer (use it in ``FLASK_APP.app_context()``, as requests do)."""
    serializer = SecureCookieSessionInterface().get_signing_serializer(FLASK_APP)
    assert serializer is not None
    return serializer


@FUZZ
@given(sessions)
def test_generated_sessions_round_trip(data):
    codec = backend()
    assert codec.decode(codec.encode(data)) == data


@FUZZ
@given(sessions)
@example({"nested": {" t": [1]}, "pair": (1, (2, b"\x00"))})
def test_flask_reads_our_cookies_and_we_read_flasks(data):
    codec, flask_codec = backend(), flask_serializer()
    ours = codec.encode(data)
    with FLASK_APP.app_context():  # Flask sorts keys only through the app's JSON provider
        assert flask_codec.loads(ours) == data
        theirs = flask_codec.dumps(data)
    assert codec.decode(theirs) == data
    # The payload (before the timestamp and signature) is Flask's to the byte.
    assert ours.rsplit(".", 2)[0] == theirs.rsplit(".", 2)[0]


def _is_empty_new(session: Session) -> bool:
    return isinstance(session, Session) and session.new and not dict(session)


@FUZZ
@given(st.text(max_size=300))
@example("")
@example(".")
@example("..")
@example(".eJwrzs8tSM0rAQAI6gKU.AAAA.BBBB")
def test_arbitrary_cookie_values_give_an_empty_session(value):
    codec = backend()
    assert _is_empty_new(codec.load_sync(f"session={value}"))
    assert codec.decode(value) is None


@FUZZ
@given(st.text(max_size=300))
def test_arbitrary_cookie_headers_never_raise(header):
    session = backend().load_sync(header)
    assert isinstance(session, Session)
    # Only a cookie that carries our own valid signature can fill a session.
    assert not dict(session)


@FUZZ
@given(st.binary(max_size=400))
@example(b".")
@example(b".\x00\x01not zlib")
@example(b"[1, 2]")
@example(b'{" t": 5}')
@example(b'{" d": "not a date"}')
@example(b'{" u": "zz"}')
@example(b'{" b": "***"}')
def test_validly_signed_garbage_payloads_give_an_empty_session_or_a_mapping(payload):
    """A correctly signed cookie over any bytes: never an exception (Flask answers 500)."""
    signer = URLSafeTimedSerializer(
        SECRET,
        salt="cookie-session",
        signer_kwargs={"key_derivation": "hmac", "digest_method": hashlib.sha1},
    ).make_signer("cookie-session")
    encoded = base64.urlsafe_b64encode(payload).rstrip(b"=")
    if payload[:1] == b".":
        encoded = b"." + base64.urlsafe_b64encode(payload[1:]).rstrip(b"=")
    cookie = signer.sign(encoded).decode("ascii")
    session = backend().load_sync(f"session={cookie}")
    assert isinstance(session, Session)
    if not _is_empty_new(session):
        assert not session.new and isinstance(dict(session), dict)


@pytest.mark.parametrize("size", [0, 1, 4093, 9000])
def test_oversized_and_tiny_values_are_empty_sessions(size):
    assert _is_empty_new(backend().load_sync("session=" + "A" * size))


@FUZZ
@given(sessions, st.integers(min_value=0, max_value=5))
def test_a_flipped_character_is_never_accepted(data, where):
    codec = backend()
    value = codec.encode(data)
    position = len(value) - 1 - where
    # A replacement that differs in the high bits: the last base64 character of the
    # signature carries two padding bits, which decoders ignore.
    replacement = "Q" if value[position] in "ABCD" else "A"
    flipped = value[:position] + replacement + value[position + 1 :]
    # The last characters are the signature: any change there must be refused.
    assert codec.decode(flipped) is None


def test_uuid_and_datetime_tags_survive_flask():
    data = {"u": uuid.UUID(int=7), "d": datetime.datetime(2024, 1, 2, tzinfo=datetime.timezone.utc)}
    with FLASK_APP.app_context():
        assert flask_serializer().loads(backend().encode(data)) == data


def server_side() -> ServerSideBackend:
    return ServerSideBackend(SessionConfig.from_options(secret_key=SECRET), MemoryStore())


@FUZZ
@given(st.text(max_size=200))
def test_arbitrary_session_ids_give_an_empty_server_side_session(value):
    session = asyncio.run(server_side().load(f"session={value}"))
    assert _is_empty_new(session) and session.sid is None


@FUZZ
@given(st.binary(max_size=300), sessions)
@example(b"", {})
@example(b'{"c": 1, "d": "[1]"}', {})
@example(b'{"c": "x", "d": "{}"}', {})
@example(b'{"d": "{\\"a\\": 1}"}', {})
def test_undecodable_stored_sessions_are_discarded_never_raised(stored, data):
    """A store holding garbage under a validly signed id: an empty session, entry deleted."""

    async def scenario() -> tuple[Session, bytes | None]:
        backend = server_side()
        session = Session()
        session.update(data or {"k": 1})
        session.modified = True
        result = await backend.save(session)
        sid = session.sid
        assert sid is not None and result.set_cookie
        cookie = result.set_cookie[0].split(";", 1)[0]
        await backend.store.set(sid, stored, 60)
        loaded = await backend.load(cookie)
        return loaded, await backend.store.get(sid)

    loaded, left = asyncio.run(scenario())
    assert isinstance(loaded, Session)
    if _is_empty_new(loaded):
        assert left is None or left == stored  # discarded, or a valid empty record kept
    else:
        assert loaded.sid is not None and isinstance(dict(loaded), dict)


@FUZZ
@given(sessions)
def test_server_side_sessions_round_trip_through_the_store(data):
    async def scenario() -> Session:
        backend = server_side()
        session = Session()
        session.update(data)
        session.modified = True
        result = await backend.save(session)
        if not result.set_cookie:  # an empty session sets no cookie
            return Session(new=True)
        return await backend.load(result.set_cookie[0].split(";", 1)[0])

    loaded = asyncio.run(scenario())
    assert dict(loaded) == data

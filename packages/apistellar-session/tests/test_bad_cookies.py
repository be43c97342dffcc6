"""Every kind of bad cookie gives an empty session, never an exception."""

import base64
import hashlib
import hmac
import logging
import zlib

import pytest
from itsdangerous import URLSafeTimedSerializer

from apistellar_session import SessionConfig, SignedCookieBackend, TaggedJSONSerializer

NOW = 1_800_000_000


def make_backend(**options):
    config = SessionConfig.from_options(secret_key="k", **options)
    return SignedCookieBackend(config, clock=lambda: NOW)


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def signed(payload: str, timestamp: int = NOW, key: str = "k") -> str:
    """Sign an arbitrary payload exactly like Flask (so only the payload is bad)."""
    derived = hmac.new(key.encode(), b"cookie-session", hashlib.sha1).digest()
    ts = b64(timestamp.to_bytes(8, "big").lstrip(b"\x00"))
    message = f"{payload}.{ts}"
    signature = b64(hmac.new(derived, message.encode(), hashlib.sha1).digest())
    return f"{message}.{signature}"


def test_signing_helper_matches_the_real_codec():
    good = make_backend().encode({"a": 1})
    payload = good.rsplit(".", 2)[0]
    assert signed(payload) == good
    assert make_backend().decode(signed(b64(b'{"a":2}'))) == {"a": 2}


BAD = [
    pytest.param(
        lambda good: good[:-3] + ("AAA" if not good.endswith("AAA") else "BBB"),
        id="tampered-signature",
    ),
    pytest.param(
        lambda good: b64(b'{"user":"admin"}') + good[good.index(".") :], id="tampered-payload"
    ),
    pytest.param(lambda good: signed(b64(b'{"a":1}'), NOW - 32 * 86400), id="expired"),
    pytest.param(lambda good: signed(b64(b'{"a":1}'), NOW + 3600), id="future-dated"),
    pytest.param(lambda good: "%%%not-base64%%%.x.y", id="malformed-base64"),
    pytest.param(lambda good: "no-dots-at-all", id="no-separators"),
    pytest.param(lambda good: "", id="empty"),
    pytest.param(lambda good: signed(b64(b"{not json")), id="valid-signature-bad-json"),
    pytest.param(lambda good: signed("." + b64(b"not zlib")), id="valid-signature-bad-zlib"),
    pytest.param(lambda good: signed(b64(b"\xff\xfe")), id="valid-signature-not-utf8"),
    pytest.param(lambda good: signed(b64(b"[1,2]")), id="valid-signature-not-a-mapping"),
    pytest.param(lambda good: signed(b64(b'{"a":{" u":"zz"}}')), id="valid-signature-bad-uuid"),
    pytest.param(
        lambda good: signed(b64(b'{"a":{" d":"yesterday"}}')), id="valid-signature-bad-date"
    ),
    pytest.param(lambda good: signed(b64(b'{"a":{" b":5}}')), id="valid-signature-bad-bytes"),
    pytest.param(
        lambda good: "." + b64(zlib.compress(b"x" * 100)) + ".AAAA.BBBB", id="unsigned-compressed"
    ),
    pytest.param(lambda good: good + "x" * 10_000, id="oversized"),
    pytest.param(lambda good: signed(b64(b'{"a":1}'), key="other"), id="other-key"),
]


@pytest.mark.parametrize("mangle", BAD)
def test_bad_cookie_gives_an_empty_new_session(mangle, caplog):
    backend = make_backend()
    good = backend.encode({"user": "ann"})
    with caplog.at_level(logging.DEBUG, logger="apistellar.session"):
        session = backend.load_sync(f"session={mangle(good)}")
    assert dict(session) == {} and session.new
    if mangle(good):
        assert caplog.records, "the reason is logged"


def test_unknown_tag_is_left_as_a_dict_like_flask():
    value = make_backend().decode(signed(b64(b'{"a":{" zz":1}}')))
    assert value == {"a": {" zz": 1}}


def test_good_cookie_among_others():
    backend = make_backend()
    good = backend.encode({"user": "ann"})
    session = backend.load_sync(f'theme=dark; session="{good}"; other=1')
    assert dict(session) == {"user": "ann"} and not session.new


def test_serializer_round_trip_custom_tag():
    from decimal import Decimal

    from apistellar_session import JSONTag

    class TagDecimal(JSONTag):
        key = " dec"

        def check(self, value):
            return isinstance(value, Decimal)

        def to_json(self, value):
            return str(value)

        def to_python(self, value):
            return Decimal(value)

    serializer = TaggedJSONSerializer()
    serializer.register(TagDecimal, index=0)
    assert serializer.loads(serializer.dumps({"p": Decimal("1.10")})) == {"p": Decimal("1.10")}
    with pytest.raises(KeyError):
        serializer.register(TagDecimal)
    config = SessionConfig.from_options(secret_key="k")
    backend = SignedCookieBackend(config, serializer=serializer)
    assert backend.decode(backend.encode({"p": Decimal("2.5")})) == {"p": Decimal("2.5")}


def test_untagged_extras_follow_flask_defaults():
    import datetime
    import decimal

    serializer = TaggedJSONSerializer()
    text = serializer.dumps({"day": datetime.date(2024, 1, 2), "n": decimal.Decimal("1.5")})
    assert serializer.loads(text) == {"day": "Tue, 02 Jan 2024 00:00:00 GMT", "n": "1.5"}
    with pytest.raises(TypeError):
        serializer.dumps({"x": object()})


def test_itsdangerous_reference_agrees_on_key_order():
    """itsdangerous signs with the last key: the current key must come last."""
    serializer = URLSafeTimedSerializer(
        ["old", "new"],
        salt="cookie-session",
        signer_kwargs={"key_derivation": "hmac", "digest_method": hashlib.sha1},
    )
    value = serializer.dumps({"a": 1})
    assert make_backend().decode(value) is None
    config = SessionConfig.from_options(secret_key="new", SECRET_KEY_FALLBACKS=["old"])
    assert SignedCookieBackend(config).decode(value) == {"a": 1}

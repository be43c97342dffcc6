"""Property-based fuzzing of the multipart parser against python-multipart as an oracle.

Generated bodies (names, filenames, contents full of delimiter look-alikes, preambles and
epilogues) are cut into generated chunkings and fed to both parsers; the parts must agree
byte for byte, and equal what was generated. (Werkzeug's sans-I/O decoder is no oracle
here: a chunk ending inside the closing ``--`` makes it add a stray ``\r`` to the last
part.) Hostile bodies may only end in ``BadRequest`` or ``PayloadTooLarge``.

Example counts are small and fixed in the default run (derandomized: the same examples
every time); ``APISTELLAR_FUZZ_PROFILE=fuzz`` (the ``fuzz`` nox session) runs many more,
new ones each run, and ``APISTELLAR_FUZZ_EXAMPLES=N`` sets the count outright.
"""

import asyncio
import os
import socket

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from python_multipart.multipart import MultipartParser, parse_options_header

from apistellar_web import Controller, post, route
from apistellar_web.exceptions import BadRequest, PayloadTooLarge
from apistellar_web.multipart import FileStream, MultipartLimits, parse_form
from apistellar_web.testing import LiveServer

settings.register_profile(
    "apistellar-default",
    derandomize=True,  # the default run tries the same examples every time: no flaky CI
    max_examples=50,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "apistellar-fuzz", max_examples=4000, deadline=None, suppress_health_check=list(HealthCheck)
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

boundaries = st.from_regex(r"[0-9A-Za-z'()+_,\-./:=?]{1,70}", fullmatch=True)
# Names and filenames: any text but the characters whose quoting rules differ between
# parsers (percent-decoding, backslash escapes) or that cannot sit in a header.
name_text = st.text(
    st.characters(
        exclude_categories=["Cs", "Cc"], exclude_characters='"\\%\r\n', max_codepoint=0x2FFF
    ),
    max_size=12,
)


def contents(boundary: str) -> st.SearchStrategy[bytes]:
    """Part contents made of random bytes and pieces of the delimiter."""
    delimiter = f"\r\n--{boundary}".encode()
    pieces = st.sampled_from(
        [
            b"\r",
            b"\n",
            b"\r\n",
            b"-",
            b"--",
            b"\r\n-",
            b"\r\n--",
            delimiter[:-1],
            delimiter[: max(1, len(delimiter) // 2)],
            delimiter[:-1] + b"\x00",
            f"--{boundary}".encode(),
        ]
    )
    # A content holding the whole delimiter would be a different body: everything else goes.
    return (
        st.lists(pieces | st.binary(max_size=40), max_size=12)
        .map(b"".join)
        .filter(lambda data: delimiter not in data)
    )


@st.composite
def bodies(draw: st.DrawFn) -> tuple[str, list[tuple[str, str | None, bytes]], bytes]:
    boundary = draw(boundaries)
    parts = draw(
        st.lists(
            st.tuples(name_text, st.none() | name_text.filter(bool), contents(boundary)),
            max_size=5,
        )
    )
    preamble = draw(st.sampled_from([b"", b"preamble\r\n", b"\r\n"]))
    epilogue = draw(st.sampled_from([b"", b"\r\n", b"epilogue bytes", b"\r\n--x"]))
    out = [preamble]
    for name, filename, data in parts:
        disposition = f'form-data; name="{name}"'
        if filename is not None:
            disposition += f'; filename="{filename}"'
        out.append(f"--{boundary}\r\nContent-Disposition: {disposition}\r\n".encode())
        if filename is not None:
            out.append(b"Content-Type: application/octet-stream\r\n")
        out.append(b"\r\n" + data + b"\r\n")
    out.append(f"--{boundary}--".encode() + epilogue)
    return boundary, parts, b"".join(out)


def chunked(body: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({cut % (len(body) + 1) for cut in cuts} | {0, len(body)})
    return [body[a:b] for a, b in zip(points, points[1:], strict=False)] or [b""]


def receive_of(chunks: list[bytes]):
    queue = list(chunks)

    async def receive():
        if queue:
            data = queue.pop(0)
            return {"type": "http.request", "body": data, "more_body": bool(queue)}
        return {"type": "http.disconnect"}

    return receive


async def ours(boundary: str, chunks: list[bytes], limits: MultipartLimits | None = None):
    stream = FileStream(receive_of(chunks), boundary.encode(), limits)
    result = []
    async for part in stream:
        data = b"".join([piece async for piece in part])
        result.append((part.name, part.filename, data))
    return result


def python_multiparts(boundary: str, chunks: list[bytes]):
    """The parts as python-multipart's low-level parser sees them."""
    parts: list[dict] = []
    header: dict[str, bytes] = {}

    def on_part_begin() -> None:
        parts.append({"headers": {}, "data": b""})

    def on_header_field(data: bytes, start: int, end: int) -> None:
        header["field"] = header.get("field", b"") + data[start:end]

    def on_header_value(data: bytes, start: int, end: int) -> None:
        header["value"] = header.get("value", b"") + data[start:end]

    def on_header_end() -> None:
        field = header.pop("field", b"").decode("latin-1").lower()
        parts[-1]["headers"][field] = header.pop("value", b"")

    def on_part_data(data: bytes, start: int, end: int) -> None:
        parts[-1]["data"] += data[start:end]

    parser = MultipartParser(
        boundary.encode(),
        {
            "on_part_begin": on_part_begin,
            "on_header_field": on_header_field,
            "on_header_value": on_header_value,
            "on_header_end": on_header_end,
            "on_part_data": on_part_data,
        },
    )
    for chunk in chunks:
        parser.write(chunk)
    parser.finalize()
    result = []
    for part in parts:
        _, options = parse_options_header(part["headers"]["content-disposition"])
        filename = options.get(b"filename")
        result.append(
            (
                options[b"name"].decode(),
                None if filename is None else filename.decode(),
                part["data"],
            )
        )
    return result


@FUZZ
@given(bodies(), st.lists(st.integers(min_value=0), max_size=8))
@example(
    (
        "bb",
        [("f", "a.txt", b"\r\n--b\r\n--")],
        b'--bb\r\nContent-Disposition: form-data; name="f"; filename="a.txt"\r\n'
        b"Content-Type: application/octet-stream\r\n\r\n\r\n--b\r\n--\r\n--bb--",
    ),
    [40, 41, 90],
)
@example(
    (
        "bb",
        [("a", None, b"")],
        b'--bb\r\nContent-Disposition: form-data; name="a"\r\n\r\n\r\n--bb--\r\n--x',
    ),
    [57],  # werkzeug's decoder adds b"\r" to the part here
)
def test_parts_agree_with_python_multipart_at_any_chunking(generated, cuts):
    boundary, parts, body = generated
    chunks = chunked(body, cuts)
    got = asyncio.run(ours(boundary, chunks))
    # python-multipart refuses a preamble: hand it the body from the first delimiter on.
    start = body.index(b"--" + boundary.encode())
    assert got == python_multiparts(boundary, chunked(body[start:], cuts))
    assert got == [(name, filename, data) for name, filename, data in parts]


@FUZZ
@given(bodies(), st.integers(min_value=1, max_value=64))
def test_parse_form_keeps_fields_and_files_whatever_the_chunk_size(generated, size):
    boundary, parts, body = generated
    chunks = [body[i : i + size] for i in range(0, len(body), size)] or [b""]
    form = asyncio.run(
        parse_form(
            receive_of(chunks), f'multipart/form-data; boundary="{boundary}"', MultipartLimits()
        )
    )
    # A MultiDict keeps the order of each name's values (not across names).
    assert sorted(form.keys()) == sorted({name for name, _, _ in parts})
    for name in form:
        expected = [(filename, data) for n, filename, data in parts if n == name]
        values = form.getlist(name)
        assert len(values) == len(expected)
        for value, (filename, data) in zip(values, expected, strict=True):
            if filename is None:
                assert value == data.decode("utf-8", "replace")
            else:
                assert value.filename == filename and value.stream.read() == data
                value.stream.close()


@FUZZ
@given(bodies(), st.data())
def test_truncated_or_corrupted_bodies_fail_only_with_a_4xx(generated, data):
    boundary, _parts, body = generated
    cut = data.draw(st.integers(min_value=0, max_value=len(body)))
    noise = data.draw(st.binary(max_size=20))
    damaged = data.draw(st.sampled_from([body[:cut], body[:cut] + noise + body[cut:], noise]))
    limits = MultipartLimits(max_parts=3, max_field_size=64, max_header_size=200)
    try:
        asyncio.run(ours(boundary, chunked(damaged, [cut, cut + 3]), limits))
    except (BadRequest, PayloadTooLarge):
        pass


@FUZZ
@given(st.binary(max_size=300), boundaries)
@example(b'--0\r\nContent-Disposition: form-data; name=""\r\x00\n\r\n\r\n--0--', "0")
@example(b'--0\r\nContent-Disposition: form-data; name="a"\nX: 1\r\n\r\nv\r\n--0--', "0")
def test_arbitrary_bytes_fail_only_with_a_4xx(body, boundary):
    try:
        asyncio.run(
            parse_form(
                receive_of([body]), f'multipart/form-data; boundary="{boundary}"', MultipartLimits()
            )
        )
    except (BadRequest, PayloadTooLarge):
        pass


@route("/form")
class FormController(Controller):
    @post("/")
    async def fields(self, stream: FileStream) -> list:
        return [[part.name, (await part.read(1 << 20)).decode()] async for part in stream]


def _raw_post(port: int, body: bytes) -> bytes:
    head = (
        "POST /form/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        "Content-Type: multipart/form-data; boundary=0\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    ).encode()
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(head + body)
        chunks = []
        while data := sock.recv(65536):
            chunks.append(data)
    return b"".join(chunks)


def test_a_lone_cr_in_a_part_header_is_a_400_over_a_real_socket(make_app):
    """Found by the fuzzer: werkzeug's ``ValueError`` for it escaped the parser."""
    good = b'--0\r\nContent-Disposition: form-data; name="a"\r\n\r\nv\r\n--0--\r\n'
    bad = b'--0\r\nContent-Disposition: form-data; name="a"\r\x00\n\r\n\r\nv\r\n--0--'
    with LiveServer(make_app(FormController)) as server:
        assert _raw_post(server.port, good).endswith(b'[["a","v"]]')
        answer = _raw_post(server.port, bad)
        assert answer.startswith(b"HTTP/1.1 400 ") and b"Malformed multipart part header" in answer

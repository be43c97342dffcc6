"""The delimiter search: the C library's memmem where there is one, always equal to bytes.find."""

import os
import random
import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from apistellar_web import _bytesearch
from apistellar_web._bytesearch import find


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="memmem checked on Linux")
def test_the_native_search_is_used_on_linux():
    assert _bytesearch.native
    assert find is not bytes.find


@pytest.mark.parametrize("seed", range(20))
def test_agrees_with_bytes_find_on_large_random_buffers(seed):
    rng = random.Random(seed)
    needle = b"\r\n--" + os.urandom(rng.randint(1, 70))
    data = os.urandom(rng.randint(4096, 300_000))
    where = rng.choice(["absent", "start", "end", "middle", "twice", "prefix-at-end"])
    if where == "start":
        data = needle + data
    elif where == "end":
        data += needle
    elif where == "middle":
        cut = rng.randint(0, len(data))
        data = data[:cut] + needle + data[cut:]
    elif where == "twice":
        cut = rng.randint(0, len(data))
        data = data[:cut] + needle + data[cut:] + needle
    elif where == "prefix-at-end":
        data += needle[:-1]
    assert find(data, needle) == data.find(needle)


@given(
    st.binary(min_size=0, max_size=9000),
    st.binary(min_size=1, max_size=12),
    st.integers(min_value=0, max_value=9000),
)
def test_agrees_with_bytes_find_on_any_input(data, needle, position):
    data = data[:position] + needle + data[position:] if position % 2 else data
    data = data * (1 + 5000 // (len(data) + 1))  # reach the native path's minimum size
    assert find(data, needle) == data.find(needle)


def test_other_buffers_fall_back_to_their_own_find():
    data = bytearray(os.urandom(10_000)) + b"\r\n--x"
    assert find(data, b"\r\n--x") == 10_000  # type: ignore[arg-type]
    assert find(memoryview(b"a" * 5000 + b"bc").tobytes(), b"bc") == 5000

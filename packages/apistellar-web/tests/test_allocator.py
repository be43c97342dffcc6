"""Allocator thresholds set at start-up (glibc): body pieces are reused, not faulted in."""

import json
import os
import subprocess
import sys
import textwrap

import pytest

from apistellar_web import _allocator

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux") or os.confstr("CS_GNU_LIBC_VERSION") is None,
    reason="glibc only",
)

# Loads only the allocator module (big imports free memory, which leaves room in the heap and
# moves glibc's dynamic threshold), keeps a 600 kB buffer alive before and after the action,
# and reports whether each one was served from the heap (not a fresh mapping).
PROBE = """
import ctypes, importlib.util, json, sys
spec = importlib.util.spec_from_file_location("allocator", %r)
allocator = importlib.util.module_from_spec(spec)
spec.loader.exec_module(allocator)
tune_allocator = allocator.tune_allocator

def in_heap(buffer):
    address = ctypes.addressof((ctypes.c_char * 1).from_buffer(buffer))
    for line in open("/proc/self/maps"):
        if line.rstrip().endswith("[heap]"):
            low, high = (int(x, 16) for x in line.split()[0].split("-"))
            if low <= address < high:
                return True
    return False

before = bytearray(600_000)
result = {"before": in_heap(before)}
%s
after = bytearray(600_000)
result["after"] = in_heap(after)
print(json.dumps(result))
"""


def probe(code: str, env: dict[str, str] | None = None, cwd: str | None = None) -> dict:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("MALLOC_", "GLIBC_"))}
    output = subprocess.run(
        [sys.executable, "-c", PROBE % (_allocator.__file__, textwrap.dedent(code))],
        env={**clean, **(env or {})},
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def test_tuning_moves_large_buffers_from_fresh_mappings_to_the_heap():
    result = probe(
        """
        result["tuned"] = tune_allocator()
        """
    )
    assert result == {"before": False, "tuned": True, "after": True}


def test_without_tuning_large_buffers_stay_fresh_mappings():
    assert probe("") == {"before": False, "after": False}


def test_an_operator_choice_in_the_environment_wins():
    result = probe(
        """
        result["tuned"] = tune_allocator()
        """,
        env={"MALLOC_MMAP_THRESHOLD_": "131072"},  # glibc's default, fixed by the operator
    )
    assert result == {"before": False, "tuned": False, "after": False}


LIFESPAN = """
import asyncio
from apistellar_web import Application

app = Application("probe", current_dir=".")

async def lifespan():
    messages = [{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}]
    sent = []
    async def receive():
        return messages.pop(0)
    async def send(message):
        sent.append(message["type"])
    await app(({"type": "lifespan"}), receive, send)
    return sent

result["sent"] = asyncio.run(lifespan())
result["tuned"] = app.allocator_tuned
"""


@pytest.mark.parametrize(("setting", "tuned"), [("", True), ("MALLOC_TUNING = False", False)])
def test_application_start_up_tunes_unless_the_setting_says_no(tmp_path, setting, tuned):
    (tmp_path / "settings.py").write_text(f"SECRET_KEY = 'k' * 32\n{setting}\n")
    result = probe(LIFESPAN, cwd=str(tmp_path))
    assert result["sent"] == ["lifespan.startup.complete", "lifespan.shutdown.complete"]
    assert result["tuned"] is tuned  # (importing the app moves glibc's dynamic threshold)

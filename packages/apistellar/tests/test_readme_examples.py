"""Every code block of every README runs as pasted, against the installed distributions.

A block is what a reader copies. By default a ``python`` block is run as a script (under
the module name ``__readme__``, so ``if __name__ == "__main__":`` servers stay off) in a
folder shared by the blocks of its README; an ``ini``/``yaml``/``json`` block must
parse; an ``sh`` block must be valid shell. An HTML comment right before the fence changes
that, and is invisible on a rendered page:

- ``<!-- readme: file=settings.py -->`` the block is a file the reader creates; it is
  written (before any block of that README runs) and, if it is Python, compiled.
- ``<!-- readme: partial -->`` a deliberately partial Python block: compiled, not run.
- ``<!-- readme: pytest -->`` a test module: run by pytest (with pytest-apistellar) in the
  README's folder, and it must pass.
- ``<!-- readme: run -->`` an ``sh`` block that is also run, in the README's folder.
- ``<!-- readme: skip: reason -->`` not run (the reason says why); Python still compiles.
"""

import configparser
import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[3]
READMES = sorted(
    [ROOT / "README.md", *ROOT.glob("packages/*/README.md"), *ROOT.glob("examples/*/README.md")]
)
FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>```+|~~~+)\s*(?P<info>[^`\s]*)[^`]*$")
DIRECTIVE = re.compile(r"^\s*<!--\s*readme:\s*(?P<what>.*?)\s*-->\s*$")


@dataclass(frozen=True)
class Block:
    """One fenced block of a README."""

    readme: Path
    line: int  # of the opening fence, 1-based
    language: str
    directive: str
    source: str

    @property
    def id(self) -> str:
        return f"{self.readme.relative_to(ROOT)}:{self.line}"

    @property
    def file(self) -> str | None:
        if self.directive.startswith("file="):
            return self.directive.removeprefix("file=").strip()
        return None


def parse(readme: Path) -> list[Block]:
    """The fenced blocks of ``readme``, each with the directive comment just above it."""
    lines = readme.read_text(encoding="utf-8").splitlines()
    blocks: list[Block] = []
    index = 0
    while index < len(lines):
        match = FENCE.match(lines[index])
        if match is None:
            index += 1
            continue
        fence, start = match["fence"], index
        body: list[str] = []
        index += 1
        while index < len(lines) and not lines[index].strip().startswith(fence):
            body.append(lines[index])
            index += 1
        index += 1
        directive = ""
        above = start - 1
        while above >= 0 and not lines[above].strip():
            above -= 1
        if above >= 0 and (found := DIRECTIVE.match(lines[above])):
            directive = found["what"]
        text = "\n".join(body) + "\n"
        blocks.append(Block(readme, start + 1, match["info"].lower(), directive, text))
    return blocks


ALL_BLOCKS = [block for readme in READMES if readme.is_file() for block in parse(readme)]


def test_file_blocks_are_unique() -> None:
    """Blocks of one README share a folder: two ``file=`` blocks of one name would clash."""
    for readme in READMES:
        names = [block.file for block in parse(readme) if block.file] if readme.is_file() else []
        twice = sorted({name for name in names if names.count(name) > 1})
        assert not twice, f"{readme.relative_to(ROOT)} writes {twice} more than once"


def _workdir(readme: Path, base: Path) -> Path:
    """The folder shared by one README's blocks, with its ``file=`` blocks written."""
    folder = base / str(readme.relative_to(ROOT)).replace("/", "__")
    if not folder.exists():
        folder.mkdir(parents=True)
        for block in parse(readme):
            if block.file:
                target = folder / block.file
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(block.source, encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def readme_dirs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("readmes")


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    # `python`, `apistellar`, `pytest` are this environment's, as in an activated venv.
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    return env


def _run(args: list[str], cwd: Path, block: Block) -> None:
    result = subprocess.run(
        args,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
        env=_env(),
    )
    if result.returncode != 0:
        pytest.fail(
            f"{block.id} failed (exit {result.returncode}):\n{block.source}\n"
            f"--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}",
            pytrace=False,
        )


RUNNER = (
    "import runpy, sys; sys.path.insert(0, '.'); runpy.run_path(sys.argv[1], run_name='__readme__')"
)


@pytest.mark.skipif(not ALL_BLOCKS, reason="the READMEs are not next to this checkout")
@pytest.mark.parametrize("block", ALL_BLOCKS, ids=[b.id for b in ALL_BLOCKS])
def test_readme_block(block: Block, readme_dirs: Path) -> None:
    """Each block does what the reader is told it does."""
    language, directive = block.language, block.directive
    known = ("", "partial", "pytest", "run") + ("file=",)
    if not (directive.startswith(("file=", "skip:")) or directive in known):
        pytest.fail(f"{block.id}: unknown readme directive {directive!r}", pytrace=False)
    if language in ("python", "py"):
        compile(block.source, block.id, "exec")
    elif language in ("yaml", "yml"):
        yaml.safe_load(block.source)
    elif language == "json":
        json.loads(block.source)
    elif language == "ini":
        configparser.ConfigParser().read_string(block.source)
    elif language in ("sh", "bash", "console", "shell"):
        _run(["bash", "-n", "-c", block.source], readme_dirs, block)
    if directive.startswith("skip:") or directive in ("partial",) or block.file:
        return
    folder = _workdir(block.readme, readme_dirs)
    if language in ("python", "py"):
        if directive == "pytest":
            test = folder / f"test_readme_{block.line}.py"
            test.write_text(block.source, encoding="utf-8")
            _run(
                [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", test.name],
                folder,
                block,
            )
        else:
            script = folder / f".readme_block_{block.line}.py"
            script.write_text(block.source, encoding="utf-8")
            _run([sys.executable, "-c", RUNNER, script.name], folder, block)
    elif language in ("sh", "bash") and directive == "run":
        _run(["bash", "-euo", "pipefail", "-c", block.source], folder, block)

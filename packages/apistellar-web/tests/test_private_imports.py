"""Other distributions use apistellar-web's public API only.

A module of ``apistellar_web`` whose name starts with ``_`` is private: it may change or
go in any release. This walks the ``src`` folder of every distribution of the checkout
except apistellar-web itself and fails on an ``import apistellar_web._x`` or
``from apistellar_web._x import ...`` / ``from apistellar_web import _x``.
"""

import ast
from pathlib import Path

import pytest

PACKAGES = Path(__file__).resolve().parents[2]


def _private(module: str) -> bool:
    parts = module.split(".")
    return parts[0] == "apistellar_web" and any(part.startswith("_") for part in parts[1:])


def private_imports(source: str) -> list[str]:
    """The private ``apistellar_web`` modules (or names) ``source`` imports."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names if _private(alias.name)]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if _private(node.module):
                found.append(node.module)
            elif node.module == "apistellar_web":
                found += [
                    f"apistellar_web.{alias.name}"
                    for alias in node.names
                    if alias.name.startswith("_")
                ]
    return found


def test_the_check_sees_both_import_forms():
    source = (
        "import apistellar_web._injector\n"
        "from apistellar_web._discovery import discover\n"
        "from apistellar_web import _router, Application\n"
        "from apistellar_web.cli._x import y\n"
        "from apistellar_web.discovery import discover\n"
        "import apistellar_web.app\n"
        "def f():\n    import apistellar_web._body as body\n"
    )
    assert private_imports(source) == [
        "apistellar_web._injector",
        "apistellar_web._discovery",
        "apistellar_web._router",
        "apistellar_web.cli._x",
        "apistellar_web._body",
    ]


def test_no_other_distribution_imports_a_private_module():
    sources = sorted(
        path
        for src in PACKAGES.glob("*/src")
        if src.parent.name != "apistellar-web"
        for path in src.rglob("*.py")
    )
    if not (PACKAGES / "apistellar-web" / "src").is_dir() or not sources:
        pytest.skip(f"no monorepo checkout around the tests ({PACKAGES}/*/src)")
    offenders = {
        str(path.relative_to(PACKAGES)): names
        for path in sources
        if (names := private_imports(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}

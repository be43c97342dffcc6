from importlib import metadata

from packaging.requirements import Requirement

import apistellar_solo


def test_exports_nothing_until_implemented():
    assert apistellar_solo.__all__ == []


def test_depends_on_the_web_framework_by_compatible_range():
    requirements = [Requirement(raw) for raw in metadata.requires("apistellar-solo") or []]
    web = [req for req in requirements if req.name == "apistellar-web"]
    assert len(web) == 1
    assert "==" not in str(web[0].specifier)
    assert web[0].specifier.contains(metadata.version("apistellar-web"))

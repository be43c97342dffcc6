from importlib import metadata

from packaging.requirements import Requirement


def test_installs_only_itsdangerous_without_extras():
    requirements = [Requirement(raw) for raw in metadata.requires("apistellar-session") or []]
    plain = sorted(req.name for req in requirements if req.marker is None)
    assert plain == ["itsdangerous"]

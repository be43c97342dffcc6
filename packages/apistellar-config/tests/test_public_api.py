import importlib
import pkgutil

import apistellar_config


def test_all_is_sorted_and_lists_every_public_name():
    public = {name for name in vars(apistellar_config) if not name.startswith("_")}
    assert apistellar_config.__all__ == sorted(apistellar_config.__all__)
    assert set(apistellar_config.__all__) == public


def test_every_module_imports_with_only_declared_dependencies():
    """Run in an environment holding only this distribution's closure (nox), an undeclared
    import of a sibling distribution fails here."""
    names = [
        m.name for m in pkgutil.walk_packages(apistellar_config.__path__, "apistellar_config.")
    ]
    assert names
    for name in names:
        importlib.import_module(name)


def test_public_objects_have_docstrings():
    for name in apistellar_config.__all__:
        obj = getattr(apistellar_config, name)
        if callable(obj):
            assert obj.__doc__, name

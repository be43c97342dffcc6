"""``import_string``: the one lookup of objects named by a dotted path in settings."""

import pytest

from apistellar_web._dotted import import_string
from apistellar_web.exceptions import ConfigurationError
from apistellar_web.routing import Controller


def test_both_spellings_and_a_dotted_attribute():
    assert import_string("apistellar_web.routing.Controller") is Controller
    assert import_string("apistellar_web.routing:Controller") is Controller
    assert import_string("apistellar_web.routing:Controller.__name__") == "Controller"


@pytest.mark.parametrize(
    "dotted", ["no_such_module.Thing", "apistellar_web.routing.Nothing", "Controller", "x:", ""]
)
def test_a_path_that_names_nothing_is_a_configuration_error_naming_the_setting(dotted):
    with pytest.raises(ConfigurationError, match=f"^LOCAL_VARIABLE names {dotted!r}, which"):
        import_string(dotted, setting="LOCAL_VARIABLE")

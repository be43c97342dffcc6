import importlib
import pkgutil

from hypothesis import given, settings
from hypothesis import strategies as st

import apistellar_session
from apistellar_session import SessionConfig, SignedCookieBackend


def test_all_is_sorted_and_lists_every_public_name():
    public = {name for name in vars(apistellar_session) if not name.startswith("_")}
    assert apistellar_session.__all__ == sorted(apistellar_session.__all__)
    assert set(apistellar_session.__all__) == public


def test_every_module_imports_with_only_declared_dependencies():
    names = [
        m.name for m in pkgutil.walk_packages(apistellar_session.__path__, "apistellar_session.")
    ]
    assert len(names) >= 6
    for name in names:
        importlib.import_module(name)


values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text() | st.binary() | st.uuids(),
    lambda children: (
        st.lists(children, max_size=4)
        | st.tuples(children, children)
        | st.dictionaries(st.text(max_size=5), children, max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.text(max_size=8), values, max_size=6))
def test_any_session_round_trips_through_the_cookie(data):
    backend = SignedCookieBackend(SessionConfig.from_options(secret_key="k"))
    assert backend.decode(backend.encode(data)) == data

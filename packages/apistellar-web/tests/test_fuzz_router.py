"""Property-based fuzzing of the router: its fast paths against werkzeug's matcher.

Example counts are small and fixed in the default run (derandomized: the same examples
every time); ``APISTELLAR_FUZZ_PROFILE=fuzz`` (the ``fuzz`` nox session) runs many more,
new ones each run, and ``APISTELLAR_FUZZ_EXAMPLES=N`` sets the count outright.
"""

import os
from urllib.parse import unquote

import httpx
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from werkzeug.exceptions import MethodNotAllowed as WzMethodNotAllowed
from werkzeug.exceptions import NotFound as WzNotFound
from werkzeug.routing import RequestRedirect

from apistellar_web import Controller, get, route
from apistellar_web._router import Route, Router
from apistellar_web.exceptions import Found, MethodNotAllowed, NotFound
from apistellar_web.testing import LiveServer

settings.register_profile(
    "apistellar-default",
    derandomize=True,  # the default run tries the same examples every time: no flaky CI
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "apistellar-fuzz", max_examples=20000, deadline=None, suppress_health_check=list(HealthCheck)
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


def by_int(item_id: int) -> None: ...
def by_float(value: float) -> None: ...
def by_str(name: str) -> None: ...
def by_path(rest: str) -> None: ...
def by_two(user: str, item_id: int) -> None: ...
def plain() -> None: ...


ROUTES = [
    Route("/items/{item_id}", "GET", "int", by_int),
    Route("/items/{name}", "GET", "str", by_str),
    Route("/items/special", "GET", "static", plain),
    Route("/values/{value}", "GET", "float", by_float),
    Route("/files/{+rest}", "GET", "path", by_path),
    Route("/users/{user}/items/{item_id}", "GET", "two", by_two),
    Route("/users/{name}/posts", "POST", "posts", by_str),
    Route("/slash/", "GET", "slash", plain),
    Route("/", "GET", "root", plain),
]
ROUTER = Router(ROUTES)
METHODS = st.sampled_from(["GET", "POST", "HEAD", "PUT", "DELETE"])

segments = (
    st.sampled_from(
        ["items", "special", "values", "files", "users", "posts", "slash", "items.", ""]
    )
    | st.from_regex(r"-?\d{1,25}(\.\d{1,5})?", fullmatch=True)
    | st.text(max_size=6)
)
paths = st.lists(segments, max_size=5).map(lambda parts: "/" + "/".join(parts)) | st.text(
    max_size=30
).map(lambda text: "/" + text)


def outcome(call):
    try:
        route, params = call()
    except Found as error:  # any redirect (302 for GET/HEAD, or a 307 subclass): its target
        return "redirect", error.location
    except (NotFound, MethodNotAllowed) as error:
        return type(error).__name__, None
    return route.name, params


def werkzeug_outcome(path: str, method: str):
    def slow():
        try:
            endpoint, params = ROUTER.adapter.match(path, method)
        except RequestRedirect as redirect:
            from urllib.parse import urlsplit

            raise Found(urlsplit(redirect.new_url).path) from None
        except WzMethodNotAllowed:
            raise MethodNotAllowed() from None
        except WzNotFound:
            raise NotFound() from None
        return ROUTER.by_name[endpoint], params

    return outcome(slow)


@FUZZ
@given(paths, METHODS)
@example("/items/99999999999999999999999999", "GET")
@example("/values/-0.0", "GET")
@example("/items/0001", "GET")
@example("/files/", "GET")
@example("/slash", "GET")
@example("/users/a/items/-1", "HEAD")
@example("/items/\u0660", "GET")
@example("/items/5\n", "GET")  # "$" would match before the newline
@example("/files/a\nb", "GET")  # an Arabic-Indic digit: \d in Python regexes
def test_lookup_agrees_with_werkzeug_on_any_path(path, method):
    assert outcome(lambda: ROUTER.lookup(path, method)) == werkzeug_outcome(path, method)


names = st.text(
    st.characters(exclude_categories=["Cs"], exclude_characters="/"), min_size=1, max_size=10
)


@FUZZ
@given(names, st.integers(min_value=-(10**12), max_value=10**12))
def test_reverse_then_lookup_gives_the_same_parameters(user, item_id):
    url = ROUTER.reverse_url("two", user=user, item_id=item_id)
    route, params = ROUTER.lookup(unquote(url), "GET")
    assert route.name == "two" and params == {"user": user, "item_id": item_id}


@FUZZ
@given(st.lists(names.filter(lambda name: "\n" not in name), min_size=1, max_size=4))
def test_path_parameters_take_the_rest_of_the_url(parts):
    # (werkzeug's path converter, like its fast-path twin, stops at a newline: no match)
    rest = "/".join(parts)
    route, params = ROUTER.lookup(unquote(ROUTER.reverse_url("path", rest=rest)), "GET")
    assert route.name == "path" and params == {"rest": rest}


@route("/items")
class ItemController(Controller):
    @get("/{item_id}")
    def show(self, item_id: int) -> dict:
        return {"item_id": item_id}


def test_a_trailing_newline_is_not_the_same_path_over_a_real_socket(make_app):
    """Found by the fuzzer: the fast path's "$" matched before a newline (``%0A``)."""
    with (
        LiveServer(make_app(ItemController)) as server,
        httpx.Client(base_url=server.url) as client,
    ):
        assert client.get("/items/5").json() == {"item_id": 5}
        assert client.get("/items/5%0A").status_code == 404
        assert client.get("/items/%0A5").status_code == 404

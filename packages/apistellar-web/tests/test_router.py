"""The router's fast paths agree with werkzeug's matcher on every case."""

import pytest

from apistellar_web._router import Route, Router
from apistellar_web.exceptions import Found, MethodNotAllowed, NotFound


def handler_int(item_id: int) -> None: ...
def handler_float(value: float) -> None: ...
def handler_str(name: str) -> None: ...
def handler_path(rest: str) -> None: ...
def handler_plain() -> None: ...


ROUTES = [
    Route("/items/{item_id}", "GET", "int", handler_int),
    Route("/items/{name}", "GET", "str", handler_str),
    Route("/items/special", "GET", "static", handler_plain),
    Route("/values/{value}", "GET", "float", handler_float),
    Route("/files/{+rest}", "GET", "path", handler_path),
    Route("/users/{name}/posts", "POST", "posts", handler_str),
    Route("/slash/", "GET", "slash", handler_plain),
]
PATHS = [
    ("GET", "/items/42"),
    ("GET", "/items/-3"),
    ("GET", "/items/abc"),
    ("GET", "/items/special"),
    ("GET", "/items/"),
    ("GET", "/values/1.5"),
    ("GET", "/values/-2.25"),
    ("GET", "/values/2"),
    ("GET", "/files/a/b/c"),
    ("GET", "/files/"),
    ("POST", "/users/ann/posts"),
    ("GET", "/users/ann/posts"),
    ("GET", "/slash"),
    ("GET", "/nothing"),
    ("HEAD", "/items/1"),
    ("GET", "/items/42/extra"),
    ("GET", "/files/ünï"),
]


def outcome(call):
    try:
        route, params = call()
        return route.name, params
    except (NotFound, MethodNotAllowed, Found) as error:
        return type(error).__name__, getattr(error, "location", None)


@pytest.mark.parametrize(("method", "path"), PATHS)
def test_fast_paths_agree_with_werkzeug(method, path):
    router = Router(ROUTES)

    def slow():
        from werkzeug.exceptions import MethodNotAllowed as WzMethod
        from werkzeug.exceptions import NotFound as WzNotFound
        from werkzeug.routing import RequestRedirect

        try:
            endpoint, params = router.adapter.match(path, method)
        except RequestRedirect:
            raise Found(path + "/") from None
        except WzMethod:
            raise MethodNotAllowed() from None
        except WzNotFound:
            raise NotFound() from None
        return router.by_name[endpoint], params

    assert outcome(lambda: router.lookup(path, method)) == outcome(slow)

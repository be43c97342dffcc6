"""``apistellar create rpc NAME -m MODULE --httpx``: a typed httpx client from the OpenAPI document.

The project's document (``app.openapi()``) becomes one module, ``<location>/<NAME>/__init__.py``
(with ``py.typed``), that needs only ``httpx`` and :mod:`apistellar_web.rpc`'s errors:

* every component schema is a ``TypedDict`` (required fields in a base class, so it
  works on Python 3.10), enums are ``Literal`` types;
* ``Client`` (on ``httpx.Client``) and ``AsyncClient`` (on ``httpx.AsyncClient``) have one
  method per operation, named after the operation id without the root ``view.``
  (``view.books.one`` gives ``books_one``): path parameters are positional, query,
  header and cookie parameters keyword-only (``None`` leaves one out), a JSON body is
  ``body``, a form ``form`` and uploads ``files`` (``{"name": (filename, bytes)}``);
* the answer: JSON decoded, HTML as ``str``, anything else as ``bytes``; a
  ``return_wrapped`` operation returns the wrapped value;
* errors: an HTTP status of 400 and more, the error envelope of an application error,
  or a wrapped answer whose ``code`` is not the success code raise
  :class:`~apistellar_web.rpc.BackendServiceError` with the answer; a failed call
  (connection, timeout, undecodable answer) raises
  :class:`~apistellar_web.rpc.BackendInternalError` from its cause.

Cookies the service sets are kept by the client (its session), as a browser would.
The aiohttp clients of the original's ``create rpc`` stay the default output.
"""

import json
import keyword
import re
from pathlib import Path
from typing import Any

from .project import load_app
from .scaffold import ScaffoldError, Writer

__all__ = ["create_httpx_rpc", "render_client"]

_REF = "#/components/schemas/"
_ENVELOPES = ("ApplicationError", "HTTPError")
_PRIMITIVES = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}
_RESERVED = {"self", "body", "form", "files", "typing", "httpx"}


def _identifier(text: str, taken: set[str] | None = None) -> str:
    name = re.sub(r"\W", "_", text).strip("_") or "value"
    if name[0].isdigit():
        name = "_" + name
    if keyword.iskeyword(name) or name in _RESERVED:
        name += "_"
    if taken is not None:
        base, number = name, 2
        while name in taken:
            name, number = f"{base}_{number}", number + 1
        taken.add(name)
    return name


def _class_name(text: str) -> str:
    parts = re.split(r"\W+", text)
    name = "".join(part[:1].upper() + part[1:] for part in parts if part) or "Model"
    return "_" + name if name[0].isdigit() else name


class _Types:
    """Python annotations of schemas, with the component classes they name."""

    def __init__(self, schemas: dict[str, Any]) -> None:
        self.schemas = schemas
        self.names = {name: _class_name(name) for name in schemas}
        #: Model classes not written yet: the generated module evaluates its annotations
        #: on import, so a model naming one of them (or itself) quotes that annotation.
        self.pending = set(self.names.values())

    def spell(self, annotation: str) -> str:
        """``annotation`` as a model field writes it: quoted when it names a pending class."""
        words = set(re.findall(r"[A-Za-z_]\w*", annotation))
        return json.dumps(annotation) if words & self.pending else annotation

    def of(self, schema: Any) -> str:
        if not isinstance(schema, dict) or not schema:
            return "typing.Any"
        if "$ref" in schema:
            target = str(schema["$ref"]).removeprefix(_REF)
            return self.names.get(target, "typing.Any")
        if "const" in schema:
            return self._literal([schema["const"]])
        if "enum" in schema:
            return self._literal(list(schema["enum"]))
        for key in ("anyOf", "oneOf"):
            if key in schema:
                return self._union([self.of(option) for option in schema[key]])
        if "allOf" in schema:
            return "dict[str, typing.Any]"
        kind = schema.get("type")
        if isinstance(kind, list):
            return self._union([self.of({**schema, "type": item}) for item in kind])
        if kind in _PRIMITIVES:
            return "bytes" if schema.get("format") == "binary" else _PRIMITIVES[kind]
        if kind == "null":
            return "None"
        if kind == "array":
            items = schema.get("items")
            if "prefixItems" in schema or not isinstance(items, dict):
                return "list[typing.Any]"
            return f"list[{self.of(items)}]"
        if kind == "object":
            extra = schema.get("additionalProperties")
            if isinstance(extra, dict) and extra and "properties" not in schema:
                return f"dict[str, {self.of(extra)}]"
            return "dict[str, typing.Any]"
        return "typing.Any"

    def _literal(self, values: list[Any]) -> str:
        plain = [v for v in values if isinstance(v, str | int | bool) and v is not None]
        if len(plain) != len([v for v in values if v is not None]):
            return "typing.Any"
        literal = f"typing.Literal[{', '.join(repr(v) for v in plain)}]" if plain else "None"
        return literal + (" | None" if None in values and plain else "")

    def _union(self, options: list[str]) -> str:
        unique: list[str] = []
        for option in options:
            for part in option.split(" | "):
                if part not in unique:
                    unique.append(part)
        if "typing.Any" in unique:
            return "typing.Any"
        return " | ".join(unique)

    def typed_dict(self, name: str, schema: dict[str, Any]) -> str:
        cls = self.names[name]
        properties: dict[str, Any] = schema.get("properties") or {}
        required = set(schema.get("required") or [])
        doc = json.dumps(str(schema.get("description") or f"The {name} model."))
        lines: list[str] = []
        fields = [
            (key, value)
            for key, value in properties.items()
            if key.isidentifier() and not keyword.iskeyword(key)
        ]
        needed = [(k, v) for k, v in fields if k in required]
        optional = [(k, v) for k, v in fields if k not in required]
        if len(fields) != len(properties):  # names Python cannot spell: the functional form
            items = ", ".join(
                f"{json.dumps(k)}: {self.spell(self.of(v))}" for k, v in properties.items()
            )
            self.pending.discard(cls)
            return f"{cls} = typing.TypedDict({cls!r}, {{{items}}}, total=False)\n"
        if needed:
            lines.append(f"class _{cls}Required(typing.TypedDict):")
            lines += [f"    {key}: {self.spell(self.of(value))}" for key, value in needed]
            lines += ["", ""]
            base = f"_{cls}Required, total=False"
        else:
            base = "typing.TypedDict, total=False"
        lines.append(f"class {cls}({base}):")
        lines.append(f"    {doc}")
        lines += [f"    {key}: {self.spell(self.of(value))}" for key, value in optional]
        self.pending.discard(cls)
        return "\n".join(lines) + "\n"


def _success(operation: dict[str, Any]) -> tuple[str, Any, dict[str, Any] | None]:
    """The media type and schema of the success answer, and the wrapper's options."""
    content = (operation.get("responses", {}).get("200") or {}).get("content") or {}
    media = next(iter(content), "application/json")
    schema = (content.get(media) or {}).get("schema") or {}
    if "anyOf" in schema:
        options = [o for o in schema["anyOf"] if o.get("$ref") != _REF + "ApplicationError"]
        schema = options[0] if len(options) == 1 else {"anyOf": options}
    wrapper = None
    properties = schema.get("properties") if isinstance(schema, dict) else None
    if isinstance(properties, dict) and "const" in (properties.get("code") or {}):
        keys = [key for key in properties if key != "code"]
        if len(keys) == 1:
            wrapper = {"code": properties["code"]["const"], "key": keys[0]}
            schema = properties[keys[0]]
    return media, schema, wrapper


def _method(
    path: str, verb: str, operation: dict[str, Any], name: str, types: _Types
) -> tuple[str, str]:
    """The method of the sync client and of the async one."""
    taken: set[str] = set()
    positional: list[str] = []
    keywords: list[str] = []
    fills: dict[str, list[str]] = {"path": [], "query": [], "header": [], "cookie": []}
    for parameter in operation.get("parameters") or []:
        python = _identifier(parameter["name"], taken)
        annotation = types.of(parameter.get("schema"))
        where = parameter["in"]
        fills[where].append(f"{json.dumps(parameter['name'])}: {python}")
        if where == "path":
            positional.append(f"{python}: {annotation}")
        elif parameter.get("required"):
            keywords.append(f"{python}: {annotation}")
        else:
            optional = annotation if annotation == "typing.Any" else f"{annotation} | None"
            keywords.append(f"{python}: {optional} = None")
    body_arguments: list[str] = []
    request_body = operation.get("requestBody")
    if request_body:
        content = request_body.get("content") or {}
        required = bool(request_body.get("required"))
        if "application/json" in content:
            annotation = types.of(content["application/json"].get("schema"))
            keywords.append(
                f"body: {annotation}" if required else f"body: {annotation} | None = None"
            )
            body_arguments.append("json_body=body")
        else:
            media = next(iter(content))
            schema = content[media].get("schema") or {}
            annotation = types.of(schema) if "$ref" in schema else "typing.Mapping[str, typing.Any]"
            keywords.append(f"form: {annotation} | None = None")
            body_arguments.append("form=form")
            if (
                media == "multipart/form-data"
                and "application/x-www-form-urlencoded" not in content
            ):
                keywords.append("files: typing.Mapping[str, FileContent] | None = None")
                body_arguments.append("files=files")
    media, schema, wrapper = _success(operation)
    if media == "application/json":
        returns = types.of(schema)
    elif media.startswith("text/"):
        returns = "str"
    else:
        returns = "bytes"
    arguments = ["self", *positional]
    if keywords:
        arguments += ["*", *keywords]
    call = [json.dumps(verb.upper()), json.dumps(path)]
    for where, pairs in fills.items():
        if pairs:
            call.append(f"{where}={{{', '.join(pairs)}}}")
    call += body_arguments
    answer = f"_Answer({json.dumps(media)}, {wrapper['code'] if wrapper else None!r}, "
    answer += f"{json.dumps(wrapper['key']) if wrapper else None})"
    summary = operation.get("summary") or name
    doc = json.dumps(f"{summary} ({verb.upper()} {path})")
    signature = f"({', '.join(arguments)}) -> {returns}:"
    build = f"        request = _build(self._http, {', '.join(call)})\n"
    sync = (
        f"    def {name}{signature}\n        {doc}\n{build}"
        f"        return typing.cast({json.dumps(returns)}, self._send(request, {answer}))\n"
    )
    asynchronous = (
        f"    async def {name}{signature}\n        {doc}\n{build}"
        f"        return typing.cast({json.dumps(returns)}, await self._send(request, {answer}))\n"
    )
    return sync, asynchronous


RUNTIME = '''
FileContent = bytes | tuple[str, bytes] | tuple[str, bytes, str]


class _Answer(typing.NamedTuple):
    media: str
    code: typing.Any  # the success code of a wrapped answer
    key: str | None  # the key of the wrapped value


def _fill(url: str, values: typing.Mapping[str, typing.Any]) -> str:
    for name, value in values.items():
        url = url.replace("{" + name + "}", quote(str(value), safe=""))
    return url


def _given(values: typing.Mapping[str, typing.Any] | None) -> dict[str, typing.Any]:
    return {k: v for k, v in (values or {}).items() if v is not None}


def _build(
    http: httpx.Client | httpx.AsyncClient,
    method: str,
    url: str,
    *,
    path: typing.Mapping[str, typing.Any] | None = None,
    query: typing.Mapping[str, typing.Any] | None = None,
    header: typing.Mapping[str, typing.Any] | None = None,
    cookie: typing.Mapping[str, typing.Any] | None = None,
    json_body: typing.Any = None,
    form: typing.Mapping[str, typing.Any] | None = None,
    files: typing.Mapping[str, FileContent] | None = None,
) -> httpx.Request:
    headers = {k: str(v) for k, v in _given(header).items()}
    cookies = _given(cookie)
    if cookies:  # with the client's own cookies: an explicit Cookie header replaces them
        pairs = [f"{c.name}={c.value}" for c in http.cookies.jar]
        pairs += [f"{k}={v}" for k, v in cookies.items()]
        headers["Cookie"] = "; ".join(pairs)
    options: dict[str, typing.Any] = {"params": _given(query), "headers": headers}
    if json_body is not None:
        options["json"] = json_body
    if form is not None:
        options["data"] = _given(form)
    if files:
        options["files"] = dict(files)
    return http.build_request(method, _fill(url, path or {}), **options)


def _result(response: httpx.Response, answer: _Answer) -> typing.Any:
    """The value of an answer, or the error it is."""
    media = response.headers.get("content-type", "").split(";")[0].strip()
    data: typing.Any
    if media == "application/json":
        try:
            data = response.json()
        except ValueError as error:
            msg = f"{response.request.url} answered undecodable JSON: {error}"
            raise BackendInternalError(msg) from error
    elif media.startswith("text/"):
        data = response.text
    else:
        data = response.content
    if response.status_code >= 400:
        raise BackendServiceError(data)
    if isinstance(data, dict) and data.get("type") == "normal" and "errcode" in data:
        raise BackendServiceError(data)  # the error envelope of an application error
    if answer.key is not None:
        if not isinstance(data, dict) or data.get("code") != answer.code:
            raise BackendServiceError(data)
        return data.get(answer.key)
    return data


class Client:
    """Synchronous client: ``Client("http://127.0.0.1:8000")``, a context manager.

    Keyword arguments go to ``httpx.Client`` (``timeout``, ``headers``, ...); or pass
    ``http=`` a client of your own.
    """

    def __init__(
        self, base_url: str = "", *, http: httpx.Client | None = None, **options: typing.Any
    ) -> None:
        options.setdefault("timeout", 9.0)
        self._http = http if http is not None else httpx.Client(base_url=base_url, **options)

    @property
    def cookies(self) -> httpx.Cookies:
        """The cookies the service set (its session, say)."""
        return self._http.cookies

    def close(self) -> None:
        """Close the connections."""
        self._http.close()

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _send(self, request: httpx.Request, answer: _Answer) -> typing.Any:
        try:
            response = self._http.send(request)
        except httpx.HTTPError as error:
            raise BackendInternalError(f"Calling {request.url} failed: {error!r}") from error
        return _result(response, answer)

{sync}

class AsyncClient:
    """Asynchronous client: ``async with AsyncClient("http://127.0.0.1:8000") as api:``.

    Keyword arguments go to ``httpx.AsyncClient``; or pass ``http=`` a client of your own.
    """

    def __init__(
        self, base_url: str = "", *, http: httpx.AsyncClient | None = None, **options: typing.Any
    ) -> None:
        options.setdefault("timeout", 9.0)
        self._http = http if http is not None else httpx.AsyncClient(base_url=base_url, **options)

    @property
    def cookies(self) -> httpx.Cookies:
        """The cookies the service set (its session, say)."""
        return self._http.cookies

    async def aclose(self) -> None:
        """Close the connections."""
        await self._http.aclose()

    async def __aenter__(self) -> "AsyncClient":
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def _send(self, request: httpx.Request, answer: _Answer) -> typing.Any:
        try:
            response = await self._http.send(request)
        except httpx.HTTPError as error:
            raise BackendInternalError(f"Calling {request.url} failed: {error!r}") from error
        return _result(response, answer)

{asynchronous}'''


def render_client(document: dict[str, Any]) -> str:
    """The source of the client module of an OpenAPI document built by apistellar."""
    schemas: dict[str, Any] = (document.get("components") or {}).get("schemas") or {}
    types = _Types(schemas)
    title = (document.get("info") or {}).get("title") or "the service"
    models = [types.typed_dict(name, schema) for name, schema in schemas.items()]
    sync: list[str] = []
    asynchronous: list[str] = []
    taken: set[str] = {"close", "aclose", "cookies"}
    for path, item in (document.get("paths") or {}).items():
        for verb, operation in item.items():
            raw = str(operation.get("operationId") or f"{verb}_{path}").removeprefix("view.")
            name = _identifier(raw, taken)
            one, other = _method(path, verb, operation, name, types)
            sync.append(one)
            asynchronous.append(other)
    head = (
        f'"""Typed client of {title} (generated by apistellar create rpc --httpx from its '
        'OpenAPI document)."""\n\n'
        "import typing\n"
        "from urllib.parse import quote\n\n"
        "import httpx\n\n"
        "from apistellar_web.rpc import BackendInternalError, BackendServiceError\n\n"
        '__all__ = ["AsyncClient", "Client"]\n\n\n'
    )
    body = "\n\n".join(models)
    runtime = RUNTIME.replace("{sync}", "\n".join(sync)).replace(
        "{asynchronous}", "\n".join(asynchronous)
    )
    return head + body + "\n" + runtime


def create_httpx_rpc(name: str, module: str, location: Path, write: Writer) -> list[Path]:
    """Write the typed client package ``location/name`` of ``module``'s project."""
    if not re.fullmatch(r"[A-Za-z_]\w*", name):
        raise ScaffoldError(f"The client name {name!r} must be a Python identifier.")
    app = load_app(name, module)
    document = app.openapi()
    document["info"]["title"] = module
    if not document.get("paths"):
        raise ScaffoldError(f"The project of {module} documents no HTTP routes.")
    target = location / name
    written = []
    if write(target / "__init__.py", render_client(document)):
        written.append(target / "__init__.py")
    if write(target / "py.typed", ""):
        written.append(target / "py.typed")
    return written

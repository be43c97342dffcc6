"""The HTTP request pipeline: one request of an :class:`~apistellar_web.app.Application`.

0. with ``ALLOWED_HOSTS`` set, a ``Host`` it does not list answers 400 at once
   (:func:`refuse_host`: no hook, no handler, the body unread);
1. route lookup -- an unknown path answers 404, a wrong method 405, a missing trailing
   slash 302 (HTTP envelopes);
2. ``on_request`` hooks (ascending ``order``), then the handler, then rendering (a
   ``standalone`` route sends its own answer and stops here);
3. on any exception (:func:`error_response`): ``HTTPException`` -> HTTP envelope with its
   status; ``Return(value)`` -> that value; anything else -> ``on_error`` hooks
   (descending), then the error envelope;
4. ``on_response`` hooks (descending) on **every** path; an error in one gives the error
   envelope;
5. the session is saved (its cookie added to the headers; a failed save answers 500),
   ``coroutinelocal`` is cleared, an unread body is settled, and the response is sent
   (a :class:`~apistellar_web.downloads.FileResponse` streams itself).

Every step was planned at start-up (:mod:`apistellar_web.app`); this module only runs
the plans. It is the hot path: keep it free of per-request work that start-up can do.
"""

from typing import TYPE_CHECKING, Any

from apistar import http
from apistar.exceptions import HTTPException

from apistellar_session import apply_save_result

from ._asgi import Receive, Scope, Send
from ._body import BodyProgress
from ._injector import run_steps
from .downloads import FileResponse
from .exceptions import BadRequest
from .hooks import Return, application_error_response, http_error_response
from .locals import coroutinelocal
from .rendering import render, response_headers
from .types.messages import set_messages

if TYPE_CHECKING:
    from .app import Application

__all__ = ["error_response", "refuse_host", "serve_http"]


async def serve_http(app: "Application", scope: Scope, receive: Receive, send: Send) -> None:
    """Answer one HTTP request of ``app`` (the module docstring's steps)."""
    if app.allowed_hosts is not None and not app.allowed_hosts.admits(scope):
        await refuse_host(app, scope, receive, send)
        return
    if app.error_messages is not None:
        set_messages(app.error_messages)
    progress = BodyProgress(receive)
    state: dict[str, Any] = {
        "scope": scope,
        "receive": progress.receive,
        "send": send,
        "app": app,
        "route": None,
        "path_params": {},
        "exc": None,
    }
    method = scope["method"]
    response: http.Response
    try:
        route, path_params = app.router.lookup(
            scope["path"], method, query=scope.get("query_string", b"")
        )
        state["route"] = route
        state["path_params"] = path_params
        if route.standalone:
            await run_steps(route.plans["main"], state)
            return
        response = render(await run_steps(route.plans["main"], state))
        if app.debug:
            exc_info = getattr(response, "exc_info", None)
            if exc_info and exc_info[1] is not None:
                # a response carrying an error: in debug mode, the error's envelope
                raise exc_info[1].with_traceback(exc_info[2])
    except Exception as error:
        response = await error_response(app, error, state)
    state["response"] = response
    if app._response_plan:  # no on_response hook: nothing to run
        try:
            await run_steps(app._response_plan, state)
            response = state["response"]
        except Return as short_cut:  # Return() in an on_response hook: its value is the answer
            response = short_cut.response
        except Exception as error:
            state["exc"] = error
            response = application_error_response(
                error,
                debug=app.debug,
                status=app.error_status,
                unexpected_as_500=app.unexpected_errors_as_500,
            )
    headers = response_headers(response)
    session = scope.get("session")
    if session is not None:
        try:
            headers = apply_save_result(headers, await app._get_session_backend().save(session))
        except Exception as error:
            app.logger.exception("Saving the session failed")
            response = application_error_response(
                error,
                debug=app.debug,
                status=500,
                unexpected_as_500=app.unexpected_errors_as_500,
            )
            headers = response_headers(response)
    coroutinelocal.clear()
    try:
        if not progress.done:  # a body read to its end needs no settling
            headers = await progress.settle(scope, response.status_code, headers)
        if isinstance(response, FileResponse):
            request_headers = {
                k.decode("latin-1").lower(): v.decode("latin-1")
                for k, v in scope.get("headers", ())
            }
            await response.stream_to(
                send,
                method=method,
                request_headers=request_headers,
                extra_headers=[],
                base_headers=headers,
            )
            return
        await send(
            {"type": "http.response.start", "status": response.status_code, "headers": headers}
        )
        await send(
            {
                "type": "http.response.body",
                "body": b"" if method == "HEAD" else response.content,
            }
        )
    finally:
        if "apistellar.cleanup" in scope:
            for close in scope.pop("apistellar.cleanup"):
                close()


async def error_response(
    app: "Application", error: Exception, state: dict[str, Any]
) -> http.Response:
    """The response to ``error``, raised by a hook or the handler (step 3)."""
    if isinstance(error, HTTPException):
        return http_error_response(error, debug=app.debug)
    state["exc"] = error
    try:
        await run_steps(app._error_plan, state)
    except Return as short_cut:  # Return() in an on_error hook: its value is the answer
        return short_cut.response
    except Exception as hook_error:
        app.logger.exception("An on_error hook failed")
        return application_error_response(
            hook_error,
            debug=app.debug,
            status=app.error_status,
            unexpected_as_500=app.unexpected_errors_as_500,
        )
    replaced = state.get("response")
    if isinstance(replaced, http.Response):
        return replaced
    if isinstance(error, Return):
        return error.response
    return application_error_response(
        error,
        debug=app.debug,
        status=app.error_status,
        unexpected_as_500=app.unexpected_errors_as_500,
    )


async def refuse_host(app: "Application", scope: Scope, receive: Receive, send: Send) -> None:
    """Answer 400 to a request whose ``Host`` is not in ``ALLOWED_HOSTS`` (step 0)."""
    app.logger.info("Request refused: its Host is not in ALLOWED_HOSTS (%s).", scope.get("path"))
    response = http_error_response(BadRequest("Invalid host header."), debug=False)
    headers = await BodyProgress(receive).settle(
        scope, response.status_code, response_headers(response)
    )
    await send({"type": "http.response.start", "status": response.status_code, "headers": headers})
    await send({"type": "http.response.body", "body": response.content})

"""Marker types to annotate handler parameters with, as in the original apistellar.

* ``Cookie`` -- one cookie, named after the parameter (``_`` -> ``-``);
  ``typing.Dict[str, Cookie]`` -- every cookie.
* ``FormParam`` -- one field of the decoded body, named after the parameter.
* ``UrlEncodeForm`` / ``MultiPartForm`` -- the decoded request body.
* ``Session`` -- the request's Flask-compatible session (``apistellar_session.Session``).
* ``FileStream`` -- the parts of a multipart body, streamed (``async for part in stream``).

A missing ``Cookie``/``FormParam`` without a Python default is an application error with
the original messages (``Cookie: <name> not found!``).
"""

import typing

from apistellar_session import Session

from .multipart import File, FileStream

__all__ = ["Cookie", "File", "FileStream", "FormParam", "MultiPartForm", "Session", "UrlEncodeForm"]

Cookie = typing.NewType("Cookie", str)
FormParam = typing.NewType("FormParam", str)
UrlEncodeForm = typing.NewType("UrlEncodeForm", dict)  # type: ignore[type-arg]
MultiPartForm = typing.NewType("MultiPartForm", dict)  # type: ignore[type-arg]

"""Responses in the negotiated media type, with the statuses the GraphQL-over-HTTP spec
asks for.

With ``application/json`` every GraphQL response is 200, request errors included (legacy
clients read the body whatever the status). With ``application/graphql-response+json``
a *request error* (the document did not parse, validate, pass a limit or get its
variables coerced: ``data`` is null and no error has a ``path``) is 400 and has no
``data`` entry; a response with data, even partial, stays 200. Strawberry's own plain-text
refusals (4xx) become GraphQL-shaped JSON errors too.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from strawberry.http.streaming import MULTIPART_INCREMENTAL_BOUNDARY

from gateway.http_compliance.checks import BAD_REQUEST
from gateway.http_compliance.json_answer import encode_answer
from gateway.http_compliance.negotiation import GRAPHQL_RESPONSE_JSON
from gateway.incremental import INCREMENTAL_NOT_ACCEPTED
from gateway.limits.timeout import timeout_error
from gateway.persisted.errors import PersistedQueryNotFoundError, PersistedQueryNotSupportedError

#: the part boundary of Strawberry's ``multipart/mixed`` answers
_BOUNDARY = MULTIPART_INCREMENTAL_BOUNDARY.encode()

__all__ = [
    "HttpResponse",
    "error_response",
    "incremental_last_part",
    "reshape",
    "timeout_response",
]

#: request errors answered with 200 whatever the media type: Apollo's persisted-query
#: protocol, where the client's link reacts to the code and must see the body
_ALWAYS_200 = frozenset({PersistedQueryNotFoundError.code, PersistedQueryNotSupportedError.code})
_CODES_BY_STATUS = {404: "NOT_FOUND", 405: "METHOD_NOT_ALLOWED", 415: "UNSUPPORTED_MEDIA_TYPE"}


@dataclass
class HttpResponse:
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes


def error_response(
    status: int,
    media_type: str,
    errors: list[dict[str, Any]],
    headers: dict[str, str] | None = None,
    *,
    data_null: bool = False,
) -> HttpResponse:
    """A response carrying only ``errors`` (and ``"data": null`` when asked)."""
    payload: dict[str, Any] = {"data": None, "errors": errors} if data_null else {"errors": errors}
    extra = [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    return _json(status, media_type, payload, extra)


def timeout_response(seconds: float, media_type: str) -> HttpResponse:
    """A cancelled operation: no data, so a request error (504: the gateway gave up) for
    clients that read statuses, and 200 with ``"data": null`` for the others."""
    if media_type == GRAPHQL_RESPONSE_JSON:
        return error_response(504, media_type, [timeout_error(seconds)])
    return error_response(200, media_type, [timeout_error(seconds)], data_null=True)


def incremental_last_part(error: dict[str, Any]) -> bytes:
    """The last part of an answer in parts that was cut (the execution timeout, the
    server stopping), carrying ``error``, and the closing boundary (the parts before it
    ended with a boundary line)."""
    payload = {"hasNext": False, "errors": [error]}
    body = encode_answer(payload)
    head = b"\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: %d\r\n\r\n"
    return head % len(body) + body + b"\r\n--" + _BOUNDARY + b"--\r\n"


def reshape(response: HttpResponse, media_type: str) -> HttpResponse:
    """Strawberry's response, in ``media_type`` with the status that goes with it."""
    content_type = _header(response.headers, b"content-type").lower()
    if content_type.startswith(b"application/json"):
        return _graphql(response, media_type)
    if content_type.startswith(b"text/plain") and response.status >= 400:
        message = response.body.decode("utf-8", "replace").strip() or "Bad request."
        code = _CODES_BY_STATUS.get(response.status, BAD_REQUEST)
        error = {"message": message, "extensions": {"code": code}}
        return _json(response.status, media_type, {"errors": [error]}, _kept(response.headers))
    return response  # the playground page


def _graphql(response: HttpResponse, media_type: str) -> HttpResponse:
    status, body = response.status, response.body
    request_error = _request_error(body)
    if request_error is not None:
        codes = {e.get("extensions", {}).get("code") for e in request_error["errors"]}
        if codes == {INCREMENTAL_NOT_ACCEPTED}:
            status = 406  # what the client accepts is the problem, whatever the media type
        elif media_type == GRAPHQL_RESPONSE_JSON and status == 200 and not codes <= _ALWAYS_200:
            status = 400
        if media_type == GRAPHQL_RESPONSE_JSON:
            del request_error["data"]
            body = encode_answer(request_error)
    headers = [*_kept(response.headers), *_typed(media_type, body)]
    return HttpResponse(status, headers, body)


def _request_error(body: bytes) -> dict[str, Any] | None:
    """The parsed body when it is a request error. Strawberry writes ``data`` first, so
    a response with data is told apart without parsing it."""
    if not body.startswith(b'{"data":null'):
        return None
    payload = json.loads(body)
    if not isinstance(payload, dict) or payload.get("data") is not None:
        return None
    errors = payload.get("errors")
    if not isinstance(errors, list) or not errors:
        return None
    if any(isinstance(e, dict) and e.get("path") for e in errors):
        return None  # a field error nulled the whole result: execution did run
    return payload


def _json(
    status: int, media_type: str, payload: dict[str, Any], headers: list[tuple[bytes, bytes]]
) -> HttpResponse:
    body = encode_answer(payload)
    return HttpResponse(status, [*headers, *_typed(media_type, body)], body)


def _typed(media_type: str, body: bytes) -> list[tuple[bytes, bytes]]:
    return [
        (b"content-type", f"{media_type}; charset=utf-8".encode()),
        (b"content-length", str(len(body)).encode()),
    ]


def _kept(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    return [(k, v) for k, v in headers if k.lower() not in (b"content-type", b"content-length")]


def _header(headers: list[tuple[bytes, bytes]], name: bytes) -> bytes:
    return next((v for k, v in headers if k.lower() == name), b"")

"""What a GraphQL-over-HTTP request must look like before it is handed to Strawberry.

- only GET and POST (405 with ``Allow``);
- POST bodies are ``application/json`` in UTF-8 (415 otherwise). The content types a
  browser may send cross-site without a CORS preflight (``text/plain``, form and multipart
  bodies) are refused outright: that is the CSRF protection;
- the body is one JSON object (a batch array is refused by :mod:`gateway.limits.batch`)
  whose ``query`` and ``operationName`` are strings and ``variables`` and ``extensions``
  objects, each or null (400 naming the parameter), nested at most ``max_depth`` levels
  and holding only Unicode text (:mod:`.json_body`);
- a GET never runs a mutation (405 with ``Allow: POST``): GET must stay safe, since
  links, prefetchers and caches replay it.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

from graphql import GraphQLError, OperationType, parse
from graphql.utilities import get_operation_ast
from strawberry.http.parse_content_type import parse_content_type

from gateway.http_compliance.errors import HttpRejectionError
from gateway.http_compliance.json_body import check_text, load_json
from gateway.limits.batch import check_operation_count

__all__ = [
    "BAD_REQUEST",
    "CSRF_CONTENT_TYPES",
    "check_content_type",
    "check_get_parameters",
    "check_method",
    "check_post_body",
]

BAD_REQUEST = "BAD_REQUEST"
UNSUPPORTED_MEDIA_TYPE = "UNSUPPORTED_MEDIA_TYPE"
METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED"
#: what a page on another site may POST without a preflight (the CORS "simple" types)
CSRF_CONTENT_TYPES = frozenset(
    {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data"}
)
_UTF8 = frozenset({"utf-8", "utf8"})


def check_method(method: str) -> None:
    if method not in ("GET", "POST"):
        raise HttpRejectionError(
            405,
            METHOD_NOT_ALLOWED,
            f"{method} is not supported: send operations with POST (or queries with GET).",
            headers={"allow": "GET, POST"},
        )


def check_content_type(value: str | None) -> None:
    if not value:
        raise HttpRejectionError(
            415,
            UNSUPPORTED_MEDIA_TYPE,
            "Send the operation as JSON, with Content-Type: application/json.",
        )
    media_type, params = parse_content_type(value)
    media_type = media_type.lower()
    if media_type in CSRF_CONTENT_TYPES:
        raise HttpRejectionError(
            415,
            UNSUPPORTED_MEDIA_TYPE,
            f"{media_type} bodies are refused (a page on another site could send them "
            "without the browser asking first): send Content-Type: application/json.",
        )
    if media_type != "application/json":
        raise HttpRejectionError(
            415,
            UNSUPPORTED_MEDIA_TYPE,
            f"{media_type} is not supported: send Content-Type: application/json.",
        )
    charset = params.get("charset")
    if charset is not None and charset.lower() not in _UTF8:
        raise HttpRejectionError(
            415, UNSUPPORTED_MEDIA_TYPE, "Send the body in UTF-8 (charset=utf-8)."
        )


def check_post_body(body: bytes, *, max_depth: int) -> None:
    """The body is one JSON object with well-typed parameters; ``max_depth`` is how deep
    ``variables`` and ``extensions`` may nest."""
    if not body.strip():
        raise HttpRejectionError(400, BAD_REQUEST, 'The request body is empty: send {"query": …}.')
    payload = load_json(body, max_depth=max_depth, outer=1)
    check_operation_count(payload)
    if not isinstance(payload, dict):
        raise HttpRejectionError(400, BAD_REQUEST, "The request body must be a JSON object.")
    _check_types(payload)


def check_get_parameters(params: Mapping[str, str], *, max_tokens: int, max_depth: int) -> None:
    """``variables``/``extensions`` are JSON objects, and the operation is no mutation."""
    decoded: dict[str, object] = dict(params)
    for name in ("variables", "extensions"):
        raw = params.get(name)
        if raw:
            decoded[name] = load_json(raw, max_depth=max_depth, parameter=name)
    _check_types(decoded)
    query = params.get("query")
    if query and _kind(query, params.get("operationName"), max_tokens) in _NOT_OVER_GET:
        raise HttpRejectionError(
            405,
            METHOD_NOT_ALLOWED,
            "Mutations are only accepted with POST.",
            headers={"allow": "POST"},
        )


_NOT_OVER_GET = (OperationType.MUTATION, OperationType.SUBSCRIPTION)
_TYPES: tuple[tuple[str, type, str], ...] = (
    ("query", str, "a string"),
    ("operationName", str, "a string"),
    ("variables", dict, "an object"),
    ("extensions", dict, "an object"),
)


def _check_types(payload: Mapping[str, object]) -> None:
    for name, kind, described in _TYPES:
        value = payload.get(name)
        if value is not None and not isinstance(value, kind):
            raise _bad_parameter(name, f"must be {described} or null")
        check_text(value, name)


def _bad_parameter(name: str, problem: str) -> HttpRejectionError:
    return HttpRejectionError(400, BAD_REQUEST, f"`{name}` {problem}.", parameter=name)


@lru_cache(maxsize=128)
def _kind(query: str, operation_name: str | None, max_tokens: int) -> OperationType | None:
    """The type of the operation a GET would run (None when the document does not parse
    or names no operation: Strawberry then answers with the GraphQL error)."""
    try:
        document = parse(query, max_tokens=max_tokens)
    except GraphQLError:
        return None
    operation = get_operation_ast(document, operation_name)
    return operation.operation if operation is not None else None

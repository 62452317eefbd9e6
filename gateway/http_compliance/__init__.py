"""GraphQL over HTTP as the spec (and the ``graphql-http`` audit) wants it: content
negotiation for ``application/graphql-response+json`` and ``application/json``, the
spec's statuses, no mutation over GET, no CSRF-able content types, and the request limits
(body size, one operation per request, execution timeout), and JSON decoded with bounded
nesting (:mod:`.json_body`).

:func:`install_graphql_http` adds the middleware; add it before the authentication
middleware so authentication still runs first (Starlette runs the last added first).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi import FastAPI

from gateway.http_compliance.middleware import GraphQLHttpMiddleware
from gateway.limits import QueryLimits

if TYPE_CHECKING:
    from gateway.response_gate import ResponseCacheGate

__all__ = ["GraphQLHttpMiddleware", "install_graphql_http"]


def install_graphql_http(
    app: FastAPI,
    limits: QueryLimits,
    path: str,
    responses: ResponseCacheGate | None = None,
) -> None:
    """``responses``: answer repeated queries from the response cache (after every check)."""
    app.add_middleware(GraphQLHttpMiddleware, path=path, limits=limits, responses=responses)

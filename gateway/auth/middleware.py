"""Authentication before any GraphQL execution: a pure ASGI middleware on the GraphQL path.

A request without valid credentials gets 401 (a GraphQL error body with ``extensions.code``
UNAUTHENTICATED and a ``WWW-Authenticate`` challenge) and never reaches the router, a
resolver or a vendor; a websocket handshake without them is refused. The GraphiQL page (a
browser GET without a query) and CORS preflights (OPTIONS) need none: they execute nothing.
"""

from __future__ import annotations

import logging

from starlette.datastructures import Headers, QueryParams
from starlette.types import ASGIApp, Receive, Scope, Send

from gateway.auth.authenticator import Authenticator
from gateway.auth.errors import AuthenticationError, AuthenticationUnavailableError
from gateway.http_compliance.refusal import send_refusal
from gateway.persisted.http import names_persisted_operation
from gateway.request_state import RequestState
from gateway.scoped_middleware import ScopedMiddleware

__all__ = ["AuthMiddleware"]

log = logging.getLogger("gateway.auth")

REALM = "customer-graph"
#: RFC 6455 §7.4.1: policy violation
WS_POLICY_VIOLATION = 1008


class AuthMiddleware(ScopedMiddleware):
    """Puts the caller's :class:`~gateway.auth.principal.Principal` on the request's
    :class:`~gateway.request_state.RequestState`."""

    def __init__(self, app: ASGIApp, authenticator: Authenticator, path: str) -> None:
        self.app = app
        self.authenticator = authenticator
        self.path = path.rstrip("/")

    def concerns(self, scope: Scope) -> bool:
        return scope["type"] in ("http", "websocket") and scope["path"].rstrip("/") == self.path

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = Headers(scope=scope)
        if scope["type"] == "http" and self._needs_no_credentials(scope, headers):
            await self.app(scope, receive, send)
            return
        try:
            principal = await self.authenticator.authenticate(headers)
        except AuthenticationError as exc:
            log.info("refused: %s (%s)", exc.reason, exc.message)
            await self._refuse(scope, send, 401, exc.message, exc.reason, headers)
            return
        except AuthenticationUnavailableError:
            log.warning("bearer token keys unavailable", exc_info=True)
            message = "Bearer tokens cannot be checked right now; retry shortly."
            await self._refuse(scope, send, 503, message, None, headers)
            return
        RequestState.of(scope).principal = principal
        await self.app(scope, receive, send)

    @staticmethod
    def _needs_no_credentials(scope: Scope, headers: Headers) -> bool:
        if scope["method"] == "OPTIONS":
            return True
        if scope["method"] != "GET":
            return False
        query = QueryParams(scope.get("query_string", b""))
        playground = "query" not in query and not names_persisted_operation(query)
        return playground and "text/html" in headers.get("accept", "")

    def _challenges(self, reason: str | None) -> list[tuple[bytes, bytes]]:
        challenges = [b'ApiKey header="X-API-Key"']
        if self.authenticator.accepts_bearer:
            bearer = f'Bearer realm="{REALM}"'
            if reason is not None and reason != "MISSING_CREDENTIALS":
                bearer += ', error="invalid_token"'
            challenges.insert(0, bearer.encode())
        return [(b"www-authenticate", c) for c in challenges]

    async def _refuse(
        self,
        scope: Scope,
        send: Send,
        status: int,
        message: str,
        reason: str | None,
        headers: Headers,
    ) -> None:
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": WS_POLICY_VIOLATION})
            return
        code = "UNAUTHENTICATED" if status == 401 else "AUTHENTICATION_UNAVAILABLE"
        extensions = {"code": code, **({"reason": reason} if reason else {})}
        error = {"message": message, "extensions": extensions}
        extra = [(b"cache-control", b"no-store")]
        if status == 401:
            extra += self._challenges(reason)
        else:
            extra.append((b"retry-after", b"5"))
        await send_refusal(send, status, [error], headers.get("accept"), extra)

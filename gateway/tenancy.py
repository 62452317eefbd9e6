"""Who is calling: an API key maps to a principal of one tenant.

Checked before any GraphQL execution (a pure ASGI middleware on the GraphQL path), so a
request without a valid key gets 401 and never reaches a resolver or a vendor. The GraphiQL
page itself (a browser GET without a query) needs no key.
"""

from __future__ import annotations

import hmac
import json
from dataclasses import dataclass

from starlette.datastructures import Headers, QueryParams
from starlette.types import ASGIApp, Receive, Scope, Send

__all__ = ["ApiKeyAuthenticator", "Principal", "TenantAuthMiddleware"]

API_KEY_HEADER = "x-api-key"


@dataclass(frozen=True)
class Principal:
    """An authenticated caller: its tenant and a name for logs (never the key)."""

    tenant: str
    name: str


class ApiKeyAuthenticator:
    """Constant-time lookup of API keys (``{key: tenant}``)."""

    def __init__(self, keys: dict[str, str]) -> None:
        self._keys = dict(keys)

    def authenticate(self, presented: str | None) -> Principal | None:
        if not presented:
            return None
        found: Principal | None = None
        for index, (key, tenant) in enumerate(self._keys.items()):
            if hmac.compare_digest(key.encode(), presented.encode()):
                found = Principal(tenant=tenant, name=f"{tenant}-key-{index}")
        return found


def _unauthenticated_body(message: str) -> bytes:
    error = {"message": message, "extensions": {"code": "UNAUTHENTICATED"}}
    return json.dumps({"errors": [error]}).encode()


class TenantAuthMiddleware:
    """Puts the caller's :class:`Principal` on ``scope["state"]["principal"]``."""

    def __init__(self, app: ASGIApp, authenticator: ApiKeyAuthenticator, path: str) -> None:
        self.app = app
        self.authenticator = authenticator
        self.path = path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].rstrip("/") != self.path:
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        if self._is_ide_page(scope, headers):
            await self.app(scope, receive, send)
            return
        principal = self.authenticator.authenticate(headers.get(API_KEY_HEADER))
        if principal is None:
            message = "A valid API key is required (X-API-Key header)."
            await self._reject(send, message)
            return
        scope.setdefault("state", {})["principal"] = principal
        await self.app(scope, receive, send)

    @staticmethod
    def _is_ide_page(scope: Scope, headers: Headers) -> bool:
        if scope["method"] != "GET":
            return False
        query = QueryParams(scope.get("query_string", b""))
        return "query" not in query and "text/html" in headers.get("accept", "")

    @staticmethod
    async def _reject(send: Send, message: str) -> None:
        body = _unauthenticated_body(message)
        await send(
            {
                "type": "http.response.start",
                "status": 401,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"www-authenticate", b'ApiKey header="X-API-Key"'),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

"""The Tallymarks edge: authentication, .NET-style case-insensitive input, 500 bodies.

See docs/vendors/tallymarks.md §1.2, §1.3.

A pure ASGI middleware, so a request without valid credentials never reaches routing or
body parsing (401 comes before 400, as with ASP.NET's authentication middleware), and an
unexpected exception becomes the vendor's 500 body instead of a stack trace.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import parse_qsl, urlencode

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from sandbox.tallymarks.context import current_options
from sandbox.tallymarks.errors import UNAUTHORIZED, TallymarksError, internal_error
from sandbox.tallymarks.options import TallymarksSandboxOptions
from sandbox.tallymarks.store import TallymarksStore

log = logging.getLogger(__name__)

API_PREFIX = "/api/"
CREDENTIAL_HEADERS = ("x-tenant-id", "x-api-key", "x-api-secret")
QUERY_NAMES = {
    name.lower(): name
    for name in (
        "keyword",
        "limit",
        "offsetKey",
        "customerId",
        "eventId",
        "eventType",
        "fromAt",
        "toAt",
    )
}


def unauthorized(detail: str) -> TallymarksError:
    return TallymarksError(401, UNAUTHORIZED, "Missing or incorrect credentials.", detail)


class TallymarksEdge:
    """Authenticates ``/api/`` requests and puts the caller's tenant on ``request.state``."""

    def __init__(self, app: ASGIApp, store: TallymarksStore, options: TallymarksSandboxOptions):
        self.app = app
        self.store = store
        self.options = options

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        token = current_options.set(self.options)
        started = False

        async def tracking_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            scope = self._normalise(scope)
            if scope["path"].startswith(API_PREFIX):
                error = self._authenticate(scope)
                if error is not None:
                    await error.response()(scope, receive, send)
                    return
            await self.app(scope, receive, tracking_send)
        except Exception:
            log.exception("tallymarks sandbox: unhandled error")
            if started:
                raise
            await internal_error().response()(scope, receive, send)
        finally:
            current_options.reset(token)

    def _normalise(self, scope: Scope) -> Scope:
        """Route segments and query names match case-insensitively ([I], .NET); a trailing
        slash names the same route when ``trailing_slash`` says so.

        See docs/vendors/tallymarks.md §1.3, §2.
        """
        path: str = scope["path"]
        if not path.lower().startswith(API_PREFIX):
            return scope
        if self.options.trailing_slash == "same_route" and path.endswith("/"):
            path = path.rstrip("/")
            scope = {**scope, "path": path}
        if not self.options.case_insensitive_input:
            return scope
        query = parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)
        fixed = [(QUERY_NAMES.get(k.lower(), k), v) for k, v in query]
        return {**scope, "path": path.lower(), "query_string": urlencode(fixed).encode("latin-1")}

    def _authenticate(self, scope: Scope) -> TallymarksError | None:
        headers = Headers(scope=scope)
        values: dict[str, Any] = {}
        for name in CREDENTIAL_HEADERS:
            value = headers.get(name, "").strip()
            if not value:
                return unauthorized(f"The {name} header is missing.")
            values[name] = value
        tenant = self.store.tenant(values["x-tenant-id"])
        if tenant is None or not tenant.accepts(values["x-api-key"], values["x-api-secret"]):
            return unauthorized("The API key and secret are not valid for this tenant.")
        scope.setdefault("state", {})["tenant"] = tenant
        return None

"""Every gateway middleware built on :class:`gateway.scoped_middleware.ScopedMiddleware`
hands a scope it does not concern to the app it wraps as it came (the same scope, receive
and send), and acts on one it does."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.auth.authenticator import Authenticator
from gateway.auth.jwt_settings import JwtSettings
from gateway.auth.middleware import AuthMiddleware
from gateway.http_compliance.middleware import GraphQLHttpMiddleware
from gateway.http_cors import CorsMiddleware, CorsSettings
from gateway.limits import QueryLimits
from gateway.memory.collector import FreezeAfterStartup
from gateway.observability.access_log import ObservabilityMiddleware
from gateway.observability.metrics import GatewayMetrics
from gateway.scoped_middleware import ScopedMiddleware
from gateway.slow_clients import BodyReadTimeout

LIFESPAN: Scope = {"type": "lifespan"}
ELSEWHERE: Scope = {"type": "http", "method": "POST", "path": "/metrics", "headers": []}

MIDDLEWARES: dict[str, tuple[Callable[[ASGIApp], ScopedMiddleware], Scope]] = {
    "access log": (
        lambda app: ObservabilityMiddleware(
            app, metrics=GatewayMetrics(), routes={"/graphql"}, quiet=set(), guarded="/graphql"
        ),
        LIFESPAN,
    ),
    "body read timeout": (lambda app: BodyReadTimeout(app, 1.0), LIFESPAN),
    "cors": (lambda app: CorsMiddleware(app, CorsSettings(allow_origins=("*",))), LIFESPAN),
    "graphql http": (
        lambda app: GraphQLHttpMiddleware(app, path="/graphql", limits=QueryLimits()),
        ELSEWHERE,
    ),
    "auth": (
        lambda app: AuthMiddleware(
            app, Authenticator.build({"k": "acme"}, JwtSettings(), ["acme"]), "/graphql"
        ),
        ELSEWHERE,
    ),
    "heap freeze": (
        FreezeAfterStartup,
        {"type": "http", "method": "GET", "path": "/", "headers": [], "query_string": b""},
    ),
}


async def _receive() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}


@pytest.mark.parametrize("name", list(MIDDLEWARES))
async def test_a_scope_the_middleware_does_not_concern_reaches_the_app_untouched(
    name: str,
) -> None:
    build, scope = MIDDLEWARES[name]
    reached: list[tuple[Scope, Receive, Send]] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        reached.append((scope, receive, send))

    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    middleware = build(app)
    assert not middleware.concerns(scope)
    before = dict(scope)
    await middleware(scope, _receive, send)

    [(seen_scope, seen_receive, seen_send)] = reached
    assert seen_scope is scope
    assert seen_receive is _receive
    assert seen_send is send
    assert scope == before
    assert sent == []


async def test_a_scope_the_middleware_concerns_is_handled_not_passed_on() -> None:
    reached: list[Scope] = []
    handled: list[Scope] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        reached.append(scope)

    class OnlyWebsockets(ScopedMiddleware):
        def __init__(self, app: ASGIApp) -> None:
            self.app = app

        def concerns(self, scope: Scope) -> bool:
            return bool(scope["type"] == "websocket")

        async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
            handled.append(scope)

    async def send(message: Any) -> None:
        raise AssertionError("nothing is sent")

    middleware = OnlyWebsockets(app)
    await middleware({"type": "websocket", "path": "/graphql"}, _receive, send)
    await middleware(LIFESPAN, _receive, send)

    assert [s["type"] for s in handled] == ["websocket"]
    assert reached == [LIFESPAN]

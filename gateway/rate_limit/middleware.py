"""Refuses a principal's operation over its rate with 429, ``Retry-After`` and a GraphQL
error (``RATE_LIMITED``), before anything runs; runs after authentication. Every answer on
the limited path, allowed or refused, carries the RateLimit fields (:mod:`.headers`)."""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.errors import whole_seconds
from gateway.http_compliance.refusal import send_refusal
from gateway.observability.metrics import GatewayMetrics
from gateway.rate_limit.headers import ratelimit_fields
from gateway.rate_limit.limiter import RateLimiter
from gateway.request_state import RequestState

__all__ = ["RateLimitMiddleware"]


class RateLimitMiddleware:
    def __init__(
        self, app: ASGIApp, limiter: RateLimiter, path: str, metrics: GatewayMetrics
    ) -> None:
        self.app = app
        self.limiter = limiter
        self.path = path.rstrip("/")
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        principal = RequestState.of(scope).principal if scope["type"] == "http" else None
        if principal is None or scope["path"].rstrip("/") != self.path:
            await self.app(scope, receive, send)
            return
        decision = await self.limiter.acquire(principal)
        fields = ratelimit_fields(self.limiter.settings, decision)
        if decision.allowed:

            async def send_with_fields(message: Message) -> None:
                if message["type"] == "http.response.start":
                    message["headers"] = [*message.get("headers", ()), *fields]
                await send(message)

            await self.app(scope, receive, send_with_fields)
            return
        self.metrics.reject("RATE_LIMITED")
        retry_after = self.limiter.retry_after_header(decision)
        error = {
            "message": f"Rate limit exceeded; retry in {retry_after} s.",
            "extensions": {
                "code": "RATE_LIMITED",
                "retryable": True,
                "retryAfter": whole_seconds(decision.retry_after),
            },
        }
        accept = Headers(scope=scope).get("accept")
        extra = [(b"cache-control", b"no-store"), (b"retry-after", retry_after.encode()), *fields]
        await send_refusal(send, 429, [error], accept, extra)

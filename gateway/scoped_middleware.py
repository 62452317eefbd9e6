"""The pass-through the gateway's ASGI middlewares share, written once: a middleware acts on
the scopes it concerns (by default HTTP requests) and hands every other one (lifespan,
websockets, other routes) to the app it wraps, untouched."""

from __future__ import annotations

from abc import ABC, abstractmethod

from starlette.types import ASGIApp, Receive, Scope, Send

__all__ = ["ScopedMiddleware"]


class ScopedMiddleware(ABC):
    """Subclasses set ``app``, say which scopes they act on (:meth:`concerns`) and how
    (:meth:`handle`)."""

    app: ASGIApp

    def concerns(self, scope: Scope) -> bool:
        """Whether this middleware acts on ``scope``; HTTP requests, unless overridden."""
        return bool(scope["type"] == "http")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.concerns(scope):
            await self.handle(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    @abstractmethod
    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Act on a scope this middleware concerns."""

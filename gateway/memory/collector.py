"""Keeps the cyclic garbage collector's pauses off the request path.

CPython's full (generation-2) collection walks every tracked container in the process, and
after startup that is ~150,000 objects (modules, the schema, pydantic validators) that will
never be garbage. At the default thresholds a full collection ran every ~110 cold
customer-360s and stalled the request that triggered it for tens of milliseconds: that was
the p99 at one client (145 ms against a p50 of 69 ms, with no load).

Once the app has started, :func:`freeze_startup_heap` collects startup's garbage and moves
everything left to the permanent generation (``gc.freeze``), which no collection walks: a
full collection then walks only what requests created since (~17,000 objects instead of
~165,000), and a cold customer-360 that triggers one costs 1.2-1.6x its median CPU, not
~8x (measured with one closed-loop client on the bench's sandboxes).

CPython's thresholds (700, 10, 10) are kept on purpose. A cold customer-360 leaves ~700
objects in reference cycles (graphql-core's collected fields, httpx responses, loader
closures) that only the collector frees, so young collections run about twice per request
and each request pays for its own cycles. A young threshold of 10,000 was measured: the
same CPU per request on average, but every 14th request then freed 14 requests' cycles at
once (+19 ms of CPU for that request on the loaded bench machine): a new tail.
"""

from __future__ import annotations

import gc

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from gateway.scoped_middleware import ScopedMiddleware

__all__ = ["FreezeAfterStartup", "freeze_startup_heap"]


def freeze_startup_heap() -> int:
    """Collect, then freeze what survived; returns the objects frozen.

    Collecting first keeps startup's own garbage from being frozen for the process's life.
    What is frozen is never collected: call it once, when the long-lived objects exist.
    """
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()


class FreezeAfterStartup(ScopedMiddleware):
    """ASGI wrapper calling :func:`freeze_startup_heap` as the app reports its lifespan
    startup complete (its vendor pools and caches exist then), in whichever process serves
    it: the single process or each worker. Other scopes pass straight through."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    def concerns(self, scope: Scope) -> bool:
        return bool(scope["type"] == "lifespan")

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def send_frozen(message: Message) -> None:
            if message["type"] == "lifespan.startup.complete":
                freeze_startup_heap()
            await send(message)

        await self.app(scope, receive, send_frozen)

"""A request still running when the server stops: uvicorn cancels its task once the
graceful shutdown timeout (``CG_GRACEFUL_TIMEOUT``) has run out, or at a second signal, and
would answer it with a plain-text 500 and log a traceback. It is an expected end, not a
fault: the outermost middleware answers it instead (:mod:`.access_log`) with a GraphQL-shaped
503 ``SHUTTING_DOWN`` and ``Retry-After`` (a refusal like any other:
:mod:`gateway.http_compliance.refusal`), so that a client's retry policy sends it again,
to a replica that is not stopping. An answer in parts already under way ends with a last
part carrying the same error (:mod:`gateway.http_compliance.middleware`).

Nothing else cancels a request's task: a client that goes away is told by ``receive``, so
a cancellation reaching the outermost middleware means the server is stopping.
"""

from __future__ import annotations

import asyncio
from typing import Any

from starlette.types import Send

from gateway.http_compliance.refusal import send_refusal

__all__ = [
    "RETRY_AFTER_SECONDS",
    "SHUTTING_DOWN",
    "send_shutting_down",
    "shutting_down_error",
    "uncancel",
]

SHUTTING_DOWN = "SHUTTING_DOWN"
#: another replica (or this one, restarted) can take the request at once
RETRY_AFTER_SECONDS = 1
#: the 503's headers beside its body: retry at once, and not on this connection, which ends
_HEADERS = (
    (b"retry-after", str(RETRY_AFTER_SECONDS).encode()),
    (b"connection", b"close"),
)


def shutting_down_error() -> dict[str, Any]:
    """The GraphQL error of a request the server stopped before it was answered."""
    return {
        "message": "The server is shutting down and stopped this request before it was"
        " answered; send it again.",
        "extensions": {"code": SHUTTING_DOWN, "retryAfter": RETRY_AFTER_SECONDS},
    }


async def send_shutting_down(send: Send, accept: str | None) -> None:
    """The 503 refusing a request the server stopped, closing the connection."""
    await send_refusal(send, 503, [shutting_down_error()], accept, _HEADERS)


def uncancel() -> None:
    """The current task's cancellation is handled (the request is answered): later awaits
    in it, and timeouts around it, run as if it had not been cancelled."""
    task = asyncio.current_task()
    if task is not None:
        task.uncancel()

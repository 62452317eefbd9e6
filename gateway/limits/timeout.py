"""Execution timeout: the whole request is cancelled after the limit, resolvers and the
upstream calls they await included, and answered with an ``EXECUTION_TIMEOUT`` error
rather than an HTTP 500. (A dataloader batch already sent to a vendor runs on in its own
task until the vendor answers or its client times out; its result is dropped.)"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from gateway.limits.errors import EXECUTION_TIMEOUT

__all__ = ["run_within", "timeout_error"]


async def run_within(seconds: float, call: Callable[[], Awaitable[None]]) -> bool:
    """Run ``call``, cancelling it after ``seconds``; False when it was cancelled."""
    deadline = asyncio.timeout(seconds)
    try:
        async with deadline:
            await call()
    except TimeoutError:
        if not deadline.expired():
            raise  # a timeout of the call's own, not ours
        return False
    return True


def timeout_error(seconds: float) -> dict[str, Any]:
    """The GraphQL error (as JSON) of a cancelled operation."""
    return {
        "message": f"The operation took longer than {seconds:g} s and was cancelled.",
        "extensions": {"code": EXECUTION_TIMEOUT, "timeoutSeconds": seconds},
    }

"""Talon.One writes: an overlapping request (409 "avoid parallel requests") becomes a
retryable ``CONFLICT`` for the client. The gateway's own writes are queued per
session/profile and a 409 is retried once (``vendors.resilience.talon_writes``), so this is
left for a session or profile kept busy by another client past that retry."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import TypeVar

from gateway.errors import ConflictError
from vendors.talon.errors import is_overlap_conflict

__all__ = ["talon_write"]

T = TypeVar("T")


async def talon_write(call: Awaitable[T]) -> T:
    try:
        return await call
    except Exception as exc:
        if is_overlap_conflict(exc):
            raise ConflictError(
                "Talon.One is busy with another request for this session or customer; "
                "retry shortly.",
                vendor="talon",
                retryable=True,
            ) from None
        raise

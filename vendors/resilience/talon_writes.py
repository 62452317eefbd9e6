"""Talon.One writes, queued per customer session and profile.

Talon.One processes one request at a time per session or profile and answers **409** to a second one
that overlaps it (docs/vendors/talon.md §3.3). :class:`QueuedTalonClient` is the Talon client with
its session, profile and event calls taken in turn per key, so two gateway requests for one session
wait for each other instead of failing. A 409 that still comes back (another client of the same
Application, outside this gateway) is retried once after ``overlap_retry_delay``: Talon refused it
before doing anything, so resending is safe even for a POST.

Keys: ``(Application, "session", session id)`` for session calls, ``(Application,
"profile", profile id)`` for profile and event calls — the scopes Talon locks. The
Application is a one-way fingerprint of its base URL and API key (two tenants sharing one
Application share its locks, as they do at Talon).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from vendors.credential_scope import credential_scope
from vendors.errors import VendorConflictError
from vendors.http import VendorHttp
from vendors.resilience.write_queue import WriteQueue
from vendors.talon.client import OVERLAP_CONFLICT_CODE, TalonClient
from vendors.talon.config import TalonConfig

__all__ = ["QueuedTalonClient"]

T = TypeVar("T")


class QueuedTalonClient(TalonClient):
    """:class:`TalonClient` whose session, profile and event calls wait their turn.

    The client names each such call's scope; only the turn itself is overridden here."""

    def __init__(
        self,
        http: VendorHttp,
        config: TalonConfig,
        *,
        queue: WriteQueue,
        overlap_retry_delay: float = 0.25,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        super().__init__(http, config)
        self._queue = queue
        self._retry_delay = overlap_retry_delay
        self._sleep = sleep
        self._application = credential_scope(config.base_url, config.api_key.get_secret_value())

    def queue_key(self, kind: str, ident: str) -> tuple[Any, ...]:
        """The write-queue key of one session or profile of this Application."""
        return (self._application, kind, ident)

    async def _in_turn(self, kind: str, ident: str | None, call: Callable[[], Awaitable[T]]) -> T:
        if not ident:  # nothing Talon would lock on (it refuses the call itself)
            return await call()
        async with self._queue.turn(self.queue_key(kind, ident)):
            try:
                return await call()
            except VendorConflictError as exc:
                if exc.code != OVERLAP_CONFLICT_CODE:
                    raise
            await self._sleep(self._retry_delay)
            return await call()

"""Per-session and per-profile locks: a request overlapping another for the same key gets 409.

Talon.One processes requests for one customer session or profile one at a time and rejects a second
one that arrives meanwhile (docs/vendors/talon.md §3.3). ``processing_delay_ms`` (an option, also
settable at ``/_sandbox/talon/settings``) is spent *inside* the lock, so tests can make two requests
overlap reliably. With ``conflict_on_overlap`` off, the second request waits instead.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager

from sandbox.talon.errors import conflict_in_progress

LockKey = tuple[int, str, str]  # (application id, "session" | "profile", integration id)


class BusyKeys:
    """The keys some request is processing right now (one event loop, no thread locks)."""

    def __init__(self) -> None:
        self._held: set[LockKey] = set()
        self._released: asyncio.Condition | None = None

    def _condition(self) -> asyncio.Condition:
        if self._released is None:
            self._released = asyncio.Condition()
        return self._released

    @asynccontextmanager
    async def hold(
        self, keys: Iterable[LockKey], *, delay_s: float = 0.0, conflict: bool = True
    ) -> AsyncIterator[None]:
        wanted = set(keys)
        if conflict:
            if wanted & self._held:
                raise conflict_in_progress()
        else:
            async with self._condition():
                await self._condition().wait_for(lambda: not wanted & self._held)
        self._held |= wanted
        try:
            if delay_s > 0:
                await asyncio.sleep(delay_s)
            yield
        finally:
            self._held -= wanted
            if self._released is not None:
                async with self._released:
                    self._released.notify_all()

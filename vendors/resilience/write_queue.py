"""Per-key write queues: writes with the same key run one at a time, in arrival order.

Talon.One answers 409 to a request that overlaps another for the same customer session or
profile; the gateway queues its own writes per key instead (see
:mod:`vendors.resilience.talon_writes`). In process only: gateways scaled out behind a
load balancer can still overlap one another, which the Talon wrapper's single retry covers.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Hashable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

__all__ = ["WriteQueue"]


@dataclass
class _Slot:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    users: int = 0


class WriteQueue:
    """``async with queue.turn(key):`` waits for the earlier writes with ``key``.

    ``asyncio.Lock`` wakes waiters first in, first out, so writes keep their order. A key's
    lock is dropped once nobody holds or waits for it, so memory stays bounded by the keys
    in use.
    """

    def __init__(self) -> None:
        self._slots: dict[Hashable, _Slot] = {}

    def __len__(self) -> int:
        return len(self._slots)

    def busy(self, key: Hashable) -> bool:
        return key in self._slots

    @asynccontextmanager
    async def turn(self, key: Hashable) -> AsyncIterator[None]:
        slot = self._slots.get(key)
        if slot is None:
            slot = self._slots[key] = _Slot()
        slot.users += 1
        try:
            async with slot.lock:
                yield
        finally:
            slot.users -= 1
            if slot.users == 0:
                del self._slots[key]

"""The generic cell rate algorithm: one timestamp per principal (the "theoretical arrival
time") instead of a counter and a refill clock; an operation is allowed when it arrives no
earlier than ``tat - burst * interval``."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from cachetools import TTLCache

from gateway.rate_limit.config import RateLimitSettings

__all__ = ["Decision", "LocalRateLimiter"]


@dataclass(frozen=True, slots=True)
class Decision:
    allowed: bool
    #: seconds until the next operation would be allowed (0 when allowed)
    retry_after: float
    #: operations that could be sent at once right now
    remaining: int


def gcra(tat: float, now: float, interval: float, burst: int) -> tuple[Decision, float]:
    """The decision for one operation at ``now`` and the new theoretical arrival time."""
    tat = max(tat, now)
    allow_at = tat - burst * interval + interval
    if now < allow_at:
        remaining = 0
        return Decision(False, allow_at - now, remaining), tat
    new_tat = tat + interval
    remaining = int((now - (new_tat - burst * interval)) / interval + 1e-9)
    return Decision(True, 0.0, max(remaining, 0)), new_tat


class LocalRateLimiter:
    """This process's buckets (bounded; an idle principal's bucket expires when full)."""

    def __init__(
        self, settings: RateLimitSettings, timer: Callable[[], float] = time.monotonic
    ) -> None:
        self.interval = 1.0 / settings.rate
        self.burst = settings.burst
        self.timer = timer
        self._tat: TTLCache[str, float] = TTLCache(
            maxsize=100_000, ttl=self.interval * self.burst + 1.0, timer=timer
        )

    def acquire(self, principal: str) -> Decision:
        now = self.timer()
        decision, tat = gcra(self._tat.get(principal, now), now, self.interval, self.burst)
        if decision.allowed:
            self._tat[principal] = tat
        return decision

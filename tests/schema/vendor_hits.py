"""Which operation asked which sandbox for what, and when.

The sandboxes' request counters say how many requests a vendor got; hooked here, each
request also carries the operation that made it (a context variable the operation's tasks
inherit down to the in-process sandbox) and the ``time.monotonic`` it arrived at. So a test
can tell a retry inside one call's budget from a second call started after the budget ran
out, per operation, even when several operations run at once.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from tests.schema.gateway_harness import VENDORS, Harness

__all__ = ["Hit", "HitLog", "TimedAnswer"]

_OPERATION: ContextVar[int | None] = ContextVar("test_operation", default=None)


@dataclass(frozen=True)
class Hit:
    operation: int | None
    vendor: str
    endpoint: str
    at: float


@dataclass(frozen=True)
class TimedAnswer:
    """An operation's answer, with when (``time.monotonic``) it was posted and answered."""

    operation: int
    body: dict[str, Any]
    started: float
    ended: float

    @property
    def elapsed(self) -> float:
        return self.ended - self.started


@dataclass
class HitLog:
    """Every sandbox request of a harness from now on, tagged by operation."""

    gw: Harness
    hits: list[Hit] = field(default_factory=list)
    _next: int = 0

    def __post_init__(self) -> None:
        for vendor in VENDORS:
            counters = self.gw.runtime(vendor).counters
            counters.hit = self._hook(vendor, counters.hit)  # type: ignore[method-assign,assignment]

    def _hook(self, vendor: str, hit: Callable[[str], None]) -> Callable[[str], None]:
        def recorded(endpoint: str) -> None:
            self.hits.append(Hit(_OPERATION.get(), vendor, endpoint, time.monotonic()))
            hit(endpoint)

        return recorded

    async def query(self, query: str, variables: dict[str, Any] | None = None) -> TimedAnswer:
        """``Harness.query`` as an operation of its own (run it in its own task, e.g. under
        ``asyncio.gather``, when several run at once)."""
        self._next += 1
        operation = self._next
        _OPERATION.set(operation)
        started = time.monotonic()
        body = await self.gw.query(query, variables)
        return TimedAnswer(operation, body, started, time.monotonic())

    def of(self, operation: int, vendor: str) -> list[Hit]:
        """The requests ``vendor`` got from ``operation``, in arrival order."""
        return [h for h in self.hits if h.operation == operation and h.vendor == vendor]

    def endpoints(self, operation: int, vendor: str) -> dict[str, int]:
        found: dict[str, int] = {}
        for hit in self.of(operation, vendor):
            found[hit.endpoint] = found.get(hit.endpoint, 0) + 1
        return found

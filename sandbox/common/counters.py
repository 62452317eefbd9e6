"""Request counters per endpoint, so tests and benchmarks can assert upstream call counts.

An endpoint is named by method and route template (``GET /api/v1/customers/{customerId}``),
so counts are stable whatever the ids in the path.
"""

from __future__ import annotations

import threading
from collections import Counter

from pydantic import BaseModel


class CounterSnapshot(BaseModel):
    """What ``GET /_sandbox/counters`` returns."""

    vendor: str
    total: int
    endpoints: dict[str, int]
    statuses: dict[str, int]


class RequestCounters:
    """Thread-safe counters (a sandbox may run in a server thread while a test reads them)."""

    def __init__(self, vendor: str) -> None:
        self.vendor = vendor
        self._lock = threading.Lock()
        self._endpoints: Counter[str] = Counter()
        self._statuses: Counter[str] = Counter()

    def hit(self, endpoint: str) -> None:
        with self._lock:
            self._endpoints[endpoint] += 1

    def answered(self, status: int) -> None:
        with self._lock:
            self._statuses[str(status)] += 1

    def reset(self) -> None:
        with self._lock:
            self._endpoints.clear()
            self._statuses.clear()

    def count(self, endpoint: str | None = None) -> int:
        with self._lock:
            if endpoint is None:
                return sum(self._endpoints.values())
            return self._endpoints.get(endpoint, 0)

    def snapshot(self) -> CounterSnapshot:
        with self._lock:
            return CounterSnapshot(
                vendor=self.vendor,
                total=sum(self._endpoints.values()),
                endpoints=dict(sorted(self._endpoints.items())),
                statuses=dict(sorted(self._statuses.items())),
            )

"""A count over a sliding time window, kept in a fixed number of buckets so memory does not
grow with traffic (the breaker's failure ratio and the retry budget both use it)."""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable

__all__ = ["Clock", "SlidingCount"]

Clock = Callable[[], float]


class SlidingCount:
    """How many events happened in the last ``window`` seconds (to one bucket's precision)."""

    def __init__(self, window: float, *, buckets: int = 10, clock: Clock = time.monotonic) -> None:
        if window <= 0 or buckets < 1:
            raise ValueError("window and buckets must be positive")
        self._width = window / buckets
        self._buckets = buckets
        self._clock = clock
        self._counts: deque[tuple[int, int]] = deque()  # (bucket index, count), oldest first

    def add(self, n: int = 1) -> None:
        index = self._index()
        self._expire(index)
        if self._counts and self._counts[-1][0] == index:
            self._counts[-1] = (index, self._counts[-1][1] + n)
        else:
            self._counts.append((index, n))

    def total(self) -> int:
        self._expire(self._index())
        return sum(count for _, count in self._counts)

    def clear(self) -> None:
        self._counts.clear()

    def _index(self) -> int:
        return math.floor(self._clock() / self._width)

    def _expire(self, index: int) -> None:
        oldest = index - self._buckets + 1
        while self._counts and self._counts[0][0] < oldest:
            self._counts.popleft()

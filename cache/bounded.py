"""LRU maps bounded twice: by entry count and by the estimated bytes of what they hold.

An entry count alone does not bound memory when a client chooses the size of what is kept
(an APQ document, a whole answer): 10,000 documents of 1 MB are 10 GB. Whichever bound is
reached first evicts the least recently used entries; an entry larger than the whole byte
budget is not kept at all (and replaces no older value under its key); a bound of 0 keeps
nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

from cachetools import Cache, LRUCache, TTLCache

__all__ = ["BoundedLRU", "BoundedTTL"]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class _EntryBound(Cache[K, V]):
    """The entry-count bound on top of cachetools' byte bound (``maxsize`` with
    ``getsizeof``), for :class:`BoundedLRU` and :class:`BoundedTTL` alike."""

    max_entries: int

    def __setitem__(self, key: K, value: V) -> None:
        try:
            super().__setitem__(key, value)
        except ValueError:  # larger than the whole budget: not kept, nor the old value
            self.pop(key, None)
            return
        while len(self) > self.max_entries:
            self.popitem()

    @property
    def bytes(self) -> int:
        """The estimated bytes held now (with a TTL: expired entries until next touched)."""
        return int(self.currsize)


class BoundedLRU(_EntryBound[K, V], LRUCache[K, V]):
    """``max_entries`` entries and ``max_bytes`` bytes as ``sizeof`` estimates each value
    (once, when it is stored); ``on_evict`` hears of every entry evicted to make room."""

    def __init__(
        self,
        max_entries: int,
        max_bytes: int,
        sizeof: Callable[[V], int],
        on_evict: Callable[[K, V], None] | None = None,
    ) -> None:
        super().__init__(maxsize=max_bytes, getsizeof=sizeof)
        self.max_entries = max_entries
        self._on_evict = on_evict

    def popitem(self) -> tuple[K, V]:
        key, value = super().popitem()
        if self._on_evict is not None:
            self._on_evict(key, value)
        return key, value

    @property
    def max_bytes(self) -> int:
        return int(self.maxsize)


class BoundedTTL(_EntryBound[K, V], TTLCache[K, V]):
    """:class:`BoundedLRU` whose entries also expire ``ttl`` seconds after they were stored."""

    def __init__(
        self,
        max_entries: int,
        max_bytes: int,
        sizeof: Callable[[V], int],
        *,
        ttl: float,
        timer: Callable[[], float],
    ) -> None:
        super().__init__(maxsize=max_bytes, ttl=ttl, timer=timer, getsizeof=sizeof)
        self.max_entries = max_entries

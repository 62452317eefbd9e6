"""An in-process TTL store (the L1 tier) that remembers entries a while past their TTL, so a
caller may choose stale-if-error. Bounded by entry count (LRU)."""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

from cachetools import LRUCache

from gateway.cache.keys import Tag

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True, slots=True)
class CacheEntry:
    value: object
    stored_at: float
    expires_at: float
    #: what the entry is about (its invalidation tags)
    tags: tuple[Tag, ...] = ()

    def fresh(self, now: float) -> bool:
        return now < self.expires_at


class TTLStore(Generic[K]):
    """``get`` returns fresh entries; ``get_stale`` also those within ``stale_for`` seconds."""

    def __init__(
        self,
        maxsize: int = 50_000,
        *,
        keep_stale_for: float = 300.0,
        timer: Callable[[], float] = time.monotonic,
    ) -> None:
        self._entries: LRUCache[K, CacheEntry] = LRUCache(maxsize=maxsize)
        self._tags: dict[Tag, set[K]] = {}
        self._keep_stale_for = keep_stale_for
        self.timer = timer

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: K) -> CacheEntry | None:
        entry = self._entries.get(key)
        now = self.timer()
        if entry is None:
            return None
        if entry.fresh(now):
            return entry
        if now >= entry.expires_at + self._keep_stale_for:
            self._entries.pop(key, None)
        return None

    def get_stale(self, key: K, stale_for: float) -> CacheEntry | None:
        """An expired entry no older than ``stale_for`` seconds past its TTL (or a fresh one)."""
        entry = self._entries.get(key)
        if entry is None or self.timer() >= entry.expires_at + stale_for:
            return None
        return entry

    def set(self, key: K, value: object, ttl: float, tags: Iterable[Tag] = ()) -> None:
        if ttl <= 0:
            return
        now = self.timer()
        tags = tuple(tags)
        self._entries[key] = CacheEntry(value, now, now + ttl, tags)
        for tag in tags:
            self._tags.setdefault(tag, set()).add(key)

    def put(self, key: K, entry: CacheEntry) -> None:
        """Keep an entry made elsewhere (the shared tier) with its own times and tags."""
        if not entry.fresh(self.timer()):
            return
        self._entries[key] = entry
        for tag in entry.tags:
            self._tags.setdefault(tag, set()).add(key)

    def delete(self, key: K) -> None:
        self._entries.pop(key, None)

    def invalidate(self, tags: Iterable[Tag]) -> int:
        """Drop every entry carrying one of ``tags``; returns how many were dropped."""
        dropped = 0
        for tag in tags:
            for key in self._tags.pop(tag, ()):
                if self._entries.pop(key, None) is not None:
                    dropped += 1
        return dropped

    def clear(self) -> None:
        self._entries.clear()
        self._tags.clear()

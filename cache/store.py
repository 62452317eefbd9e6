"""An in-process TTL store (the L1 tier) that remembers entries a while past their TTL, so a
caller may choose stale-if-error. Bounded by entry count and by estimated bytes (LRU): keys
come from client input (a search term, a request digest), so the count alone bounds nothing.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import Generic, TypeVar

from cache.bounded import BoundedLRU
from cache.keys import Tag
from cache.sizing import ENTRY_OVERHEAD, MiB, estimate_size

K = TypeVar("K", bound=Hashable)

#: default byte budget of a store (the gateway passes ``CG_CACHE_MAX_BYTES``)
DEFAULT_MAX_BYTES = 256 * MiB
#: one tag of an entry: its reference in the entry and the key's slot in the tag index
TAG_OVERHEAD = 128


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
    """``get`` returns fresh entries; ``get_stale`` also those within ``stale_for`` seconds.

    ``sizeof`` estimates an entry's value in bytes (once, when stored); the entry's key,
    times and tags are added to it."""

    def __init__(
        self,
        maxsize: int = 50_000,
        *,
        max_bytes: int = DEFAULT_MAX_BYTES,
        keep_stale_for: float = 300.0,
        timer: Callable[[], float] = time.monotonic,
        sizeof: Callable[[object], int] = estimate_size,
    ) -> None:
        self._value_size = sizeof
        self._entries: BoundedLRU[K, CacheEntry] = BoundedLRU(
            maxsize, max_bytes, self._entry_size, on_evict=self._unindex
        )
        self._tags: dict[Tag, set[K]] = {}
        self._keep_stale_for = keep_stale_for
        self.timer = timer

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def bytes(self) -> int:
        """Estimated bytes held (entries and their tag index)."""
        return self._entries.bytes

    @property
    def max_bytes(self) -> int:
        return self._entries.max_bytes

    @property
    def indexed_tags(self) -> int:
        """Tags that still name a kept entry (the index shrinks with evictions)."""
        return len(self._tags)

    def _entry_size(self, entry: CacheEntry) -> int:
        return ENTRY_OVERHEAD + TAG_OVERHEAD * len(entry.tags) + self._value_size(entry.value)

    def get(self, key: K) -> CacheEntry | None:
        entry = self._entries.get(key)
        now = self.timer()
        if entry is None:
            return None
        if entry.fresh(now):
            return entry
        if now >= entry.expires_at + self._keep_stale_for:
            self._drop(key)
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
        self._keep(key, CacheEntry(value, now, now + ttl, tuple(tags)))

    def put(self, key: K, entry: CacheEntry) -> None:
        """Keep an entry made elsewhere (the shared tier) with its own times and tags."""
        if not entry.fresh(self.timer()):
            return
        self._keep(key, entry)

    def _keep(self, key: K, entry: CacheEntry) -> None:
        self._drop(key)  # its old tags go with it
        self._entries[key] = entry
        if key not in self._entries:
            return  # larger than the whole budget
        for tag in entry.tags:
            self._tags.setdefault(tag, set()).add(key)

    def delete(self, key: K) -> None:
        self._drop(key)

    def invalidate(self, tags: Iterable[Tag]) -> int:
        """Drop every entry carrying one of ``tags``; returns how many were dropped."""
        dropped = 0
        for tag in tags:
            for key in self._tags.pop(tag, ()):
                if self._drop(key):
                    dropped += 1
        return dropped

    def clear(self) -> None:
        self._entries.clear()
        self._tags.clear()

    def _drop(self, key: K) -> bool:
        entry = self._entries.pop(key, None)
        if entry is None:
            return False
        self._unindex(key, entry)
        return True

    def _unindex(self, key: K, entry: CacheEntry) -> None:
        """Forget ``key`` in the tag index (evicted or dropped entries must not linger
        there: the index would grow with every key ever stored)."""
        for tag in entry.tags:
            keys = self._tags.get(tag)
            if keys is not None:
                keys.discard(key)
                if not keys:
                    del self._tags[tag]

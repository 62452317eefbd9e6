"""Read-through caching of vendor reads: L1 TTL store + single-flight + tag invalidation.

Loaders call :meth:`ReadThroughCache.get_or_load`; writes call :meth:`invalidate` with the
tags of what they changed, so a read after one's own write is never stale.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from gateway.cache.keys import CacheKey, Tag
from gateway.cache.singleflight import SingleFlight
from gateway.cache.store import TTLStore

V = TypeVar("V")


@dataclass
class CacheStats:
    hits: int = 0
    misses: int = 0
    stale_served: int = 0


@dataclass
class ReadThroughCache:
    """TTLs are per resource kind (``ttls["customer"] = 30``); kind ``None``/0 = not cached."""

    store: TTLStore[CacheKey] = field(default_factory=TTLStore)
    ttls: dict[str, float] = field(default_factory=dict)
    default_ttl: float = 0.0
    #: keyed by (key, generation): a read that starts after a write never joins an older flight
    flights: SingleFlight[tuple[CacheKey, int], object] = field(default_factory=SingleFlight)
    stats: CacheStats = field(default_factory=CacheStats)
    #: bumped by every invalidation, so a read that started before a write is not stored
    _generation: int = 0

    def ttl_for(self, kind: str) -> float:
        return self.ttls.get(kind, self.default_ttl)

    async def get_or_load(
        self,
        key: CacheKey,
        kind: str,
        load: Callable[[], Awaitable[V]],
        tags: Iterable[Tag] = (),
    ) -> V:
        entry = self.store.get(key)
        if entry is not None:
            self.stats.hits += 1
            return entry.value  # type: ignore[return-value]  # stored by this method as V
        self.stats.misses += 1
        ttl = self.ttl_for(kind)
        generation = self._generation

        async def load_and_store() -> object:
            value = await load()
            if generation == self._generation:
                self.store.set(key, value, ttl, tags)
            return value

        return await self.flights.do((key, generation), load_and_store)  # type: ignore[return-value]

    def get_stale(self, key: CacheKey, stale_for: float) -> object | None:
        """A value past its TTL (within ``stale_for``) for stale-if-error, or ``None``."""
        entry = self.store.get_stale(key, stale_for)
        if entry is None:
            return None
        self.stats.stale_served += 1
        return entry.value

    def invalidate(self, tags: Iterable[Tag]) -> int:
        self._generation += 1
        return self.store.invalidate(tags)

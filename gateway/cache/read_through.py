"""Read-through caching of vendor reads: L1 TTL store + single-flight + tag invalidation.

Loaders call :meth:`ReadThroughCache.get_or_load`; writes call :meth:`invalidate` with the
tags of what they changed, so a read after one's own write is never stale.

Stale-if-error: when a load fails with a retryable vendor error (vendor down, timeout, open
circuit, 429) and the store still holds the entry, expired at most ``stale_if_error``
seconds ago, that value is returned instead and reported to ``on_stale``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from gateway.cache.keys import CacheKey, Tag
from gateway.cache.singleflight import SingleFlight
from gateway.cache.store import CacheEntry, TTLStore
from gateway.vendors.errors import VendorError

V = TypeVar("V")


@dataclass
class CacheStats:
    hits: int = 0
    misses: int = 0
    stale_served: int = 0


@dataclass(frozen=True, slots=True)
class StaleRead:
    """A value served past its TTL because the vendor failed: what, and how old."""

    vendor: str
    operation: str
    kind: str
    age: float


@dataclass
class ReadThroughCache:
    """TTLs are per resource kind (``ttls["customer"] = 30``); kind ``None``/0 = not cached."""

    store: TTLStore[CacheKey] = field(default_factory=TTLStore)
    ttls: dict[str, float] = field(default_factory=dict)
    default_ttl: float = 0.0
    #: keyed by (key, generation): a read that starts after a write never joins an older flight
    flights: SingleFlight[tuple[CacheKey, int], object] = field(default_factory=SingleFlight)
    stats: CacheStats = field(default_factory=CacheStats)
    #: seconds past its TTL an entry may still be served when the vendor fails (0 = never)
    stale_if_error: float = 0.0
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
        on_stale: Callable[[StaleRead], None] | None = None,
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

        try:
            return await self.flights.do((key, generation), load_and_store)  # type: ignore[return-value]
        except VendorError as exc:
            stale = self._stale_for_error(key, exc)
            if stale is None:
                raise
            if on_stale is not None:
                now = self.store.timer()
                on_stale(StaleRead(key.vendor, key.operation, kind, now - stale.stored_at))
            return stale.value  # type: ignore[return-value]  # stored by this method as V

    def _stale_for_error(self, key: CacheKey, error: VendorError) -> CacheEntry | None:
        if not error.retryable or self.stale_if_error <= 0:
            return None
        entry = self.store.get_stale(key, self.stale_if_error)
        if entry is not None:
            self.stats.stale_served += 1
        return entry

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

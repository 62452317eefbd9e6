"""Read-through caching of vendor reads: L1 TTL store + single-flight + tag invalidation.

Loaders call :meth:`ReadThroughCache.get_or_load`; writes call :meth:`invalidate` with the
tags of what they changed, so a read after one's own write is never stale.

With the shared tier (``CG_REDIS__URL``) an L1 miss asks L2 before the vendor, loads are
stored in both, and invalidations reach every replica (gateway.shared_tier).

Stale-if-error: when a load fails with a retryable vendor error (vendor down, timeout, open
circuit, 429) and the store still holds the entry, expired at most ``stale_if_error``
seconds ago, that value is returned instead and reported to ``on_stale``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

from cache.keys import CacheKey, Tag
from cache.singleflight import FlightWaitTimeoutError, SingleFlight
from cache.store import CacheEntry, TTLStore
from vendors.errors import VendorError, VendorTimeoutError
from vendors.resilience.deadline import vendor_time_left
from vendors.resilience.vendor_verdict import verdicts

if TYPE_CHECKING:
    from cache.read_ledger import DependentAnswers
    from cache.shared.invalidation_log import InvalidationLog
    from cache.shared.l2_cache import L2Cache

V = TypeVar("V")


@dataclass
class CacheStats:
    misses: int = 0
    stale_served: int = 0
    #: reads answered by this process (L1) and by the shared tier (L2)
    l1_hits: int = 0
    l2_hits: int = 0

    @property
    def hits(self) -> int:
        return self.l1_hits + self.l2_hits


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
    flights: SingleFlight[tuple[CacheKey, int], tuple[object, CacheEntry | None]] = field(
        default_factory=SingleFlight
    )
    stats: CacheStats = field(default_factory=CacheStats)
    #: seconds past its TTL an entry may still be served when the vendor fails (0 = never)
    stale_if_error: float = 0.0
    #: the shared tier (None: this process only)
    l2: L2Cache | None = None
    peers: InvalidationLog | None = None
    #: bumped by every invalidation, so a read that started before a write is not stored
    _generation: int = 0
    #: whole answers built from these reads (gateway.response_cache), dropped with them
    responses: DependentAnswers | None = None
    _publishing: set[asyncio.Task[None]] = field(default_factory=set)

    def ttl_for(self, kind: str) -> float:
        return self.ttls.get(kind, self.default_ttl)

    async def catch_up(self, arrived: float) -> None:
        """Apply the other replicas' invalidations published before ``arrived``."""
        if self.peers is not None:
            await self.peers.catch_up(arrived)

    def peek(self, key: CacheKey) -> CacheEntry | None:
        """A fresh L1 entry, without loading (call after :meth:`catch_up`)."""
        return self.store.get(key)

    async def get_or_load(
        self,
        key: CacheKey,
        kind: str,
        load: Callable[[], Awaitable[V]],
        tags: Iterable[Tag] = (),
        on_stale: Callable[[StaleRead], None] | None = None,
        on_read: Callable[[CacheEntry | None], None] | None = None,
    ) -> V:
        """``on_read`` learns the entry each read was served from or stored as (``None``:
        not cacheable, e.g. a kind with no TTL or a stale value): the response cache's
        ledger of what an answer depends on and until when. A kind with no TTL is a plain
        call: nothing is looked up, stored or shared, as nothing could be found."""
        ttl = self.ttl_for(kind)
        if ttl <= 0:
            self.stats.misses += 1
            loaded = await load()
            if on_read is not None:
                on_read(None)
            return loaded
        entry = self.store.get(key)
        if entry is not None:
            self.stats.l1_hits += 1
            if on_read is not None:
                on_read(entry)
            return entry.value  # type: ignore[return-value]  # stored by this method as V
        generation = self._generation
        seen = self.peers.position if self.peers is not None else None
        l2 = self.l2

        async def load_and_store() -> tuple[object, CacheEntry | None]:
            if l2 is not None:
                shared = await l2.get(key)
                if shared is not None:
                    if generation == self._generation:
                        self.store.put(key, shared)
                    self.stats.l2_hits += 1
                    return shared.value, shared
            self.stats.misses += 1
            value = await load()
            if generation != self._generation:
                return value, None
            final_tags = list(tags)  # a loader may add tags once it sees the value
            stored = await l2.set(key, value, ttl, final_tags, seen) if l2 is not None else None
            if stored is False or generation != self._generation:
                return value, None
            self.store.set(key, value, ttl, final_tags)
            return value, self.store.get(key)

        try:
            value, served = await self._shared_load((key, generation), load_and_store)
        except VendorError as exc:
            stale = await self._stale_for_error(key, exc)
            if stale is None:
                raise
            if on_stale is not None:
                now = self.store.timer()
                on_stale(StaleRead(key.vendor, key.operation, kind, now - stale.stored_at))
            if on_read is not None:
                on_read(None)
            return stale.value  # type: ignore[return-value]  # stored by this method as V
        if on_read is not None:
            on_read(served)
        return value  # type: ignore[return-value]  # stored by this method as V

    async def _shared_load(
        self,
        flight: tuple[CacheKey, int],
        load: Callable[[], Awaitable[tuple[object, CacheEntry | None]]],
    ) -> tuple[object, CacheEntry | None]:
        """One load per key in flight; a request joining another's load waits only until
        its own operation's vendor cutoff (the load keeps the starter's, maybe later). An
        operation that already gave up on the vendor (:mod:`vendors.resilience.vendor_verdict`)
        does not join at all: it would wait on the vendor it gave up on."""
        key = flight[0]
        board = verdicts()
        if board is not None and self.flights.in_flight(flight):
            refused = board.refusal(key.vendor, key.operation)
            if refused is not None:
                raise refused
        try:
            return await self.flights.do(flight, load, wait=vendor_time_left())
        except FlightWaitTimeoutError:
            raise VendorTimeoutError(
                key.vendor, key.operation, None, "timed out waiting for a shared call"
            ) from None

    async def _stale_for_error(self, key: CacheKey, error: VendorError) -> CacheEntry | None:
        if not error.retryable or self.stale_if_error <= 0:
            return None
        entry = self.store.get_stale(key, self.stale_if_error)
        if entry is None and self.l2 is not None:
            entry = await self.l2.get(key, stale_for=self.stale_if_error)
        if entry is not None:
            self.stats.stale_served += 1
        return entry

    def invalidate(
        self,
        tags: Iterable[Tag],
        publishing: Callable[[asyncio.Task[None]], object] | None = None,
    ) -> int:
        """Drop ``tags`` here at once (returns how many entries went); with the shared
        tier, also from L2 and every other replica: ``publishing`` gets the task that is
        done when Redis has them (await it before answering the write, so a read sent
        after the answer, through any replica, is fresh)."""
        tags = list(tags)
        dropped = self._drop(tags)
        if self.peers is None or not tags:
            return dropped
        task = asyncio.get_running_loop().create_task(self.peers.publish(tags))
        self._publishing.add(task)
        task.add_done_callback(self._publishing.discard)
        if publishing is not None:
            publishing(task)
        return dropped

    async def flush_publishing(self) -> None:
        """At shutdown: let invalidations on their way reach Redis."""
        while self._publishing:
            await asyncio.gather(*list(self._publishing), return_exceptions=True)

    def drop_tags(self, tags: Iterable[Tag]) -> None:
        """Forget ``tags`` here only (another replica published them)."""
        self._drop(tags)

    def _drop(self, tags: Iterable[Tag]) -> int:
        tags = list(tags)
        self._generation += 1
        if self.responses is not None:
            self.responses.invalidate(tags)
        return self.store.invalidate(tags)

    @property
    def generation(self) -> int:
        """Changes with every invalidation seen here (own writes and other replicas')."""
        return self._generation

    def drop_all(self) -> None:
        """Forget everything this process holds (it may have missed invalidations)."""
        self._generation += 1
        self.store.clear()
        if self.responses is not None:
            self.responses.clear()

    def attach_shared_tier(self, l2: L2Cache | None, peers: InvalidationLog) -> None:
        self.l2 = l2
        self.peers = peers

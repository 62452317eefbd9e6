"""The cross-request cache of vendor reads: tenant-scoped keys, TTL per resource kind,
single-flight, tag invalidation, stale-if-error. Only successes are stored."""

from gateway.cache.keys import CacheKey, Tag
from gateway.cache.read_through import ReadThroughCache, StaleRead
from gateway.cache.singleflight import SingleFlight
from gateway.cache.store import CacheEntry, TTLStore

__all__ = [
    "CacheEntry",
    "CacheKey",
    "ReadThroughCache",
    "SingleFlight",
    "StaleRead",
    "TTLStore",
    "Tag",
]

"""The cross-request cache of vendor reads: tenant-scoped keys, TTL per resource kind,
single-flight, tag invalidation, stale-if-error. Only successes are stored."""

from cache.keys import CacheKey, Tag
from cache.read_through import ReadThroughCache, StaleRead
from cache.singleflight import SingleFlight
from cache.store import CacheEntry, TTLStore

__all__ = [
    "CacheEntry",
    "CacheKey",
    "ReadThroughCache",
    "SingleFlight",
    "StaleRead",
    "TTLStore",
    "Tag",
]

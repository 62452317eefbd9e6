"""The one loader of a declared vendor read (:class:`vendors.reads.VendorRead`):
cache key, cache kind, tags, fan-out and "not found" all come from the declaration.

Vendors here have no bulk reads, so a batch fans out one cached call per key; aliases and
fields asking for the same key in a request share one call.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import Generic, TypeVar, cast

from cache import Tag
from resolvers.loaders.base import BatchLoader, RequestLoaders, fan_out
from vendors.errors import VendorNotFoundError
from vendors.reads import TagRef, VendorRead

__all__ = ["ReadLoader"]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class ReadLoader(BatchLoader[K, V], Generic[K, V]):
    """Loads ``read`` by key through the request's cache. Subclasses may act on each value
    loaded (:meth:`loaded`), e.g. prime another loader with what it also answers."""

    def __init__(self, loaders: RequestLoaders, read: VendorRead[K, V]) -> None:
        self.read = read
        self.vendor = read.vendor
        self.max_batch = read.max_batch
        super().__init__(loaders)

    @property
    def name(self) -> str:
        return f"{self.read.vendor}.{self.read.operation}"

    def missing(self, key: K) -> V:
        not_found = self.read.not_found
        return not_found() if not_found is not None else cast(V, None)

    async def fetch(self, keys: list[K]) -> Mapping[K, V | Exception]:
        return await fan_out(keys, self.load_one)

    async def load_one(self, key: K) -> V:
        """One key through the cross-request cache (no dataloader batching)."""
        value = await self.cached(key)
        self.loaded(key, value)
        return value

    async def cached(self, key: K) -> V:
        """``key`` through the cross-request cache; a kind with TTL 0 is a plain call (no
        key or tags are built for a cache that would not keep them)."""
        read, cache = self.read, self.scope.cache
        if not cache.caches(read.kind):
            cache.uncached()
            return await self._call(key)
        tags = [self._tag(t) for t in read.tags(key)]

        async def load() -> V:
            value = await self._call(key)
            # the cache reads ``tags`` once the load returned
            tags.extend(self._tag(t) for t in read.value_tags(value))
            return value

        cache_key = cache.key(read.vendor, read.operation, dict(read.cache_args(key)))
        return await cache.read(cache_key, read.kind, load, tags)

    async def _call(self, key: K) -> V:
        """The vendor call; "not found" is the read's own value when it declares one."""
        read = self.read
        try:
            return await read.call(self.scope.clients(), key)
        except VendorNotFoundError:
            if read.not_found is None:
                raise
            return read.not_found()

    def loaded(self, key: K, value: V) -> None:
        """Called with each value this loader loaded (from the cache or the vendor)."""

    def _tag(self, ref: TagRef) -> Tag:
        return self.scope.cache.tag(ref.vendor, ref.resource, ref.ident)

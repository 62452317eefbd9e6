"""The one loader of a declared vendor read (:class:`gateway.vendors.reads.VendorRead`):
cache key, cache kind, tags, fan-out and "not found" all come from the declaration.

Vendors here have no bulk reads, so a batch fans out one cached call per key; aliases and
fields asking for the same key in a request share one call.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import TYPE_CHECKING, Generic, TypeVar, cast

from gateway.cache import Tag
from gateway.vendors.errors import VendorNotFoundError
from gateway.vendors.reads import TagRef, VendorRead
from resolvers.loaders.base import BatchLoader, fan_out

if TYPE_CHECKING:
    from resolvers.loaders.registry import Loaders

__all__ = ["ReadLoader"]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class ReadLoader(BatchLoader[K, V], Generic[K, V]):
    """Loads ``read`` by key through the request's cache. Subclasses may act on each value
    loaded (:meth:`loaded`), e.g. prime another loader with what it also answers."""

    def __init__(self, loaders: Loaders, read: VendorRead[K, V]) -> None:
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
        read, cache = self.read, self.scope.cache
        tags = [self._tag(t) for t in read.tags(key)]

        async def load() -> V:
            try:
                value = await read.call(self.scope.clients(), key)
            except VendorNotFoundError:
                if read.not_found is None:
                    raise
                value = read.not_found()
            # the cache reads ``tags`` once the load returned
            tags.extend(self._tag(t) for t in read.value_tags(value))
            return value

        cache_key = cache.key(read.vendor, read.operation, dict(read.cache_args(key)))
        return await cache.read(cache_key, read.kind, load, tags)

    def loaded(self, key: K, value: V) -> None:
        """Called with each value this loader loaded (from the cache or the vendor)."""

    def _tag(self, ref: TagRef) -> Tag:
        return self.scope.cache.tag(ref.vendor, ref.resource, ref.ident)

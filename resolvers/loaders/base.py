"""The dataloader contract every loader follows.

- One instance per loader class per request (:class:`Loaders`), never shared.
- A batch function fetches all keys at once (or fans out within the vendor's limit), then
  returns results **matched by key**: a missing key is ``None`` (or the loader's default),
  one key's failure is an exception at that key's position only.
"""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Hashable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar, cast

from aiodataloader import DataLoader

if TYPE_CHECKING:
    from gateway.context import GraphQLContext

__all__ = ["BatchLoader", "Loaders"]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
L = TypeVar("L", bound="BatchLoader[Any, Any]")


class BatchLoader(DataLoader[K, V], Generic[K, V]):
    """Subclasses implement :meth:`fetch`; ordering and missing keys are handled here."""

    vendor: ClassVar[str]
    #: the vendor's own id limit per call (None: unbounded)
    max_batch: ClassVar[int | None] = None

    def __init__(self, ctx: GraphQLContext, *, naive: bool = False) -> None:
        if naive:  # one call per load, nothing remembered (the benchmarks' contrast)
            super().__init__(batch=False, cache=False)
        else:
            super().__init__(max_batch_size=self.max_batch)
        self.ctx = ctx

    @abstractmethod
    async def fetch(self, keys: list[K]) -> Mapping[K, V | Exception]:
        """Every key's value (or its own exception); keys left out count as missing."""

    def missing(self, key: K) -> V:
        """The value for a key the vendor does not know."""
        return cast(V, None)

    async def batch_load_fn(self, keys: list[K]) -> list[V]:
        tracing = self.ctx.services.telemetry.tracing
        with tracing.loader_batch(type(self).__name__, self.vendor, len(keys)):
            found = await self.fetch(keys)
        # aiodataloader rejects the futures of positions holding an Exception
        return [cast(V, found[k]) if k in found else self.missing(k) for k in keys]


class Loaders:
    """Per-request registry: ``ctx.loaders.get(CustomerByIdLoader).load(id)``."""

    def __init__(self, ctx: GraphQLContext) -> None:
        self._ctx = ctx
        self._made: dict[type[BatchLoader[Any, Any]], BatchLoader[Any, Any]] = {}
        self._naive = ctx.services.settings.resolver_mode == "naive"

    def get(self, cls: type[L]) -> L:
        if self._naive:
            return cls(self._ctx, naive=True)
        loader = self._made.get(cls)
        if loader is None:
            loader = cls(self._ctx)
            self._made[cls] = loader
        return cast(L, loader)

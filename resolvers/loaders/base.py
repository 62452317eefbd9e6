"""The dataloader contract every loader follows.

- One instance per loader per request (:class:`~resolvers.loaders.registry.Loaders`).
- A batch function fetches all keys at once (or fans out one call per key), then returns
  results **matched by key**: a missing key is the loader's "not found" value, one key's
  failure is an exception at that key's position only.

Loaders depend on what they use (the request's cache handle, its vendor clients, tracing),
not on the GraphQL context, so the context can build them without an import cycle.
"""

from __future__ import annotations

import asyncio
from abc import abstractmethod
from collections.abc import Awaitable, Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar, cast

from aiodataloader import DataLoader, Loader, dispatch_queue

if TYPE_CHECKING:
    from asyncio import Future

    from cache.request_cache import RequestCache
    from gateway.observability.tracing import Tracing
    from vendors.reads import VendorRead
    from vendors.tenant_clients import TenantClients

__all__ = ["BatchLoader", "LoaderScope", "RequestLoaders", "fan_out"]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
R = TypeVar("R")


@dataclass(frozen=True)
class LoaderScope:
    """What one request's loaders share."""

    cache: RequestCache
    #: the tenant's clients, resolved on first use
    clients: Callable[[], TenantClients]
    tracing: Tracing
    #: one call per load, nothing remembered (the benchmarks' contrast)
    naive: bool = False


class RequestLoaders(Protocol):
    """A request's loaders as one of them sees the others: the scope they share, and the
    loader of a declared read (to prime it with what another read also answered).
    :class:`~resolvers.loaders.registry.Loaders` is the one; a protocol, because the
    registry builds the loaders and so imports their modules."""

    @property
    def scope(self) -> LoaderScope: ...

    def read(self, read: VendorRead[K, V]) -> BatchLoader[K, V]: ...


class BatchLoader(DataLoader[K, V], Generic[K, V]):
    """Subclasses implement :meth:`fetch`; ordering and missing keys are handled here."""

    #: the vendor the batch calls (for its trace span)
    vendor: str
    #: the vendor's own id limit per call (None: unbounded)
    max_batch: int | None = None

    def __init__(self, loaders: RequestLoaders) -> None:
        if loaders.scope.naive:
            super().__init__(batch=False, cache=False)
        else:
            super().__init__(max_batch_size=self.max_batch)
        self.loaders = loaders
        self.scope = loaders.scope

    def do_resolve_reject(self, key: K, future: Future[V]) -> None:
        """aiodataloader's queueing, without its dispatch task: it schedules a task whose
        only step calls ``dispatch_queue`` two loop turns later (one task per loader per
        batch, of the ~40 a cold customer-360 makes). Two ``call_soon`` hops dispatch at
        the same turn, so a batch collects exactly the keys it did."""
        self._queue.append(Loader(key=key, future=future))
        if len(self._queue) == 1:
            if self.batch:
                loop = self.loop
                loop.call_soon(loop.call_soon, dispatch_queue, self)
            else:
                dispatch_queue(self)

    @property
    def name(self) -> str:
        """The batch's trace span name."""
        return type(self).__name__

    @abstractmethod
    async def fetch(self, keys: list[K]) -> Mapping[K, V | Exception]:
        """Every key's value (or its own exception); keys left out count as missing."""

    def missing(self, key: K) -> V:
        """The value for a key the vendor does not know."""
        return cast(V, None)

    async def batch_load_fn(self, keys: list[K]) -> list[V]:
        with self.scope.tracing.loader_batch(self.name, self.vendor, len(keys)):
            found = await self.fetch(keys)
        # aiodataloader rejects the futures of positions holding an Exception
        return [cast(V, found[k]) if k in found else self.missing(k) for k in keys]


async def fan_out(keys: Sequence[K], call: Callable[[K], Awaitable[R]]) -> dict[K, R | Exception]:
    """One call per key, concurrently (the vendor's edge, ``VendorHttp``, keeps its
    concurrency limit per attempt); failures per key. The first key's call runs in the
    caller's task, so only the others get a task of their own (a batch of one key, the
    usual case, creates none)."""
    if not keys:
        return {}
    first, rest = keys[0], keys[1:]
    others = [asyncio.ensure_future(call(k)) for k in rest]
    out: dict[K, R | Exception] = {}
    try:
        try:
            out[first] = await call(first)
        except Exception as exc:  # that key's failure only (a cancellation propagates)
            out[first] = exc
        for key, task in zip(rest, others, strict=True):
            try:
                out[key] = await task
            except Exception as exc:
                out[key] = exc
    except BaseException:
        for task in others:
            if not task.cancel() and not task.cancelled():
                task.exception()  # finished already: its failure is not left unretrieved
        raise
    return out

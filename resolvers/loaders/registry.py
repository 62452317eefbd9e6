"""Per-request registry of loaders: ``loaders.read(BALANCE).load(customer_id)`` for a
declared vendor read, ``loaders.get(CustomerSummaryByIdLoader)`` for a derived one."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar, cast

from resolvers.loaders.base import BatchLoader, LoaderScope
from resolvers.loaders.omnidesk import (
    SupportCustomerBySupportIdLoader,
    SupportCustomersByChannelValueLoader,
)
from resolvers.loaders.read_loader import ReadLoader
from resolvers.loaders.talon import InventoryByCustomerLoader
from vendors.omnidesk import reads as omnidesk
from vendors.reads import VendorRead
from vendors.talon import reads as talon

__all__ = ["Loaders"]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
L = TypeVar("L", bound=BatchLoader[Any, Any])

#: reads whose loader does more than the generic one (merging, priming other loaders)
_SPECIAL: dict[VendorRead[Any, Any], Callable[[Loaders], ReadLoader[Any, Any]]] = {
    talon.INVENTORY: InventoryByCustomerLoader,
    omnidesk.SUPPORT_CUSTOMER_BY_ID: SupportCustomerBySupportIdLoader,
    omnidesk.CHANNEL_SEARCH: SupportCustomersByChannelValueLoader,
}


class Loaders:
    """One loader per read (or loader class) per request; in ``naive`` mode a fresh one
    per use, so nothing is batched or remembered."""

    def __init__(self, scope: LoaderScope) -> None:
        self.scope = scope
        self._made: dict[object, BatchLoader[Any, Any]] = {}

    def read(self, read: VendorRead[K, V]) -> ReadLoader[K, V]:
        loader = None if self.scope.naive else self._made.get(read)
        if loader is None:
            make = _SPECIAL.get(read)
            loader = make(self) if make is not None else ReadLoader(self, read)
            self._keep(read, loader)
        return cast(ReadLoader[K, V], loader)

    def get(self, cls: Callable[[Loaders], L]) -> L:
        loader = None if self.scope.naive else self._made.get(cls)
        if loader is None:
            loader = cls(self)
            self._keep(cls, loader)
        return cast(L, loader)

    def release(self) -> None:
        """The request is over: drop what the loaders remember. Each loader and this
        registry refer to each other, a cycle only the garbage collector would free, with
        every value read (futures, vendor models) inside it; emptied here, reference
        counting frees them at once (a cold search page left ~1,500 such objects)."""
        for loader in self._made.values():
            loader.clear_all()
        self._made.clear()

    def _keep(self, key: object, loader: BatchLoader[Any, Any]) -> None:
        if not self.scope.naive:
            self._made[key] = loader

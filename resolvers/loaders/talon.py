"""The Talon.One inventory loader.

The customer inventory serves many fields (profile, audiences, coupons, referrals, loyalty,
giveaways), each behind a query flag. It makes **one** inventory call per customer per
batch with the union of the flags its fields asked for, and answers a later ask from any
earlier result (this request's, or a cached one) that already holds the parts it needs.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping

from resolvers.loaders.base import RequestLoaders, fan_out
from resolvers.loaders.read_loader import ReadLoader
from vendors.talon.models import CustomerInventory
from vendors.talon.reads import ALL_PARTS, INVENTORY, InventoryKey, InventoryPart

__all__ = ["InventoryByCustomerLoader"]


class InventoryByCustomerLoader(ReadLoader[InventoryKey, CustomerInventory | None]):
    """A customer's inventory holding at least the asked parts; ``None`` when Talon.One has
    no profile for them. Keys of one customer in a batch share one call."""

    def __init__(self, loaders: RequestLoaders) -> None:
        super().__init__(loaders, INVENTORY)
        #: what this request already fetched per customer (parts, result)
        self._fetched: dict[str, list[tuple[frozenset[InventoryPart], object]]] = {}

    async def fetch(
        self, keys: list[InventoryKey]
    ) -> Mapping[InventoryKey, CustomerInventory | Exception | None]:
        wanted: dict[str, set[InventoryPart]] = {}
        for customer_id, parts in keys:
            wanted.setdefault(customer_id, set()).update(parts)
        found = await fan_out(list(wanted), lambda cid: self._one(cid, frozenset(wanted[cid])))
        return {key: found[key[0]] for key in keys}

    async def _one(
        self, customer_id: str, parts: frozenset[InventoryPart]
    ) -> CustomerInventory | None:
        for held, result in self._fetched.get(customer_id, ()):
            if parts <= held:
                return _inventory(result)
        cache = self.scope.cache
        # a kind with TTL 0 holds nothing to peek at
        supersets = _supersets(parts) if cache.caches(INVENTORY.kind) else ()
        for superset in supersets:
            key = (customer_id, superset)
            args = dict(INVENTORY.cache_args(key))
            entry = await cache.peek(cache.key(INVENTORY.vendor, INVENTORY.operation, args))
            if entry is not None:
                return self._remember(customer_id, superset, entry.value)
        result = await self.cached((customer_id, parts))
        return self._remember(customer_id, parts, result)

    def _remember(
        self, customer_id: str, parts: frozenset[InventoryPart], result: object
    ) -> CustomerInventory | None:
        self._fetched.setdefault(customer_id, []).append((parts, result))
        return _inventory(result)


def _supersets(parts: frozenset[InventoryPart]) -> list[frozenset[InventoryPart]]:
    """Every flag set holding ``parts``, smallest first (the exact set included)."""
    rest = sorted(ALL_PARTS - parts)
    return [
        parts | frozenset(extra)
        for size in range(len(rest) + 1)
        for extra in itertools.combinations(rest, size)
    ]


def _inventory(value: object) -> CustomerInventory | None:
    """A stored result, checked back to its type (``None``: Talon.One has no such profile)."""
    return value if isinstance(value, CustomerInventory) else None

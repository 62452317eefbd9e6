"""Talon.One loaders.

The customer inventory serves many fields (profile, audiences, coupons, referrals, loyalty,
giveaways), each behind a query flag. :class:`InventoryByCustomerLoader` makes **one**
inventory call per customer per batch with the union of the flags its fields asked for,
and answers a later ask from any earlier result (this request's, or a cached one) that
already holds the parts it needs.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from typing import TYPE_CHECKING, Literal, get_args

from gateway.vendors.errors import VendorNotFoundError
from gateway.vendors.talon.models import CustomerInventory, CustomerProfile
from resolvers import cache_tags as tags
from resolvers.loaders.base import BatchLoader

if TYPE_CHECKING:
    from gateway.cache import CacheKey
    from gateway.context import GraphQLContext

__all__ = [
    "InventoryByCustomerLoader",
    "InventoryKey",
    "InventoryPart",
    "ReservedCustomersByCouponLoader",
]

VENDOR = "talon"

#: the inventory's parts, each switched on by the query flag of the same name
InventoryPart = Literal["profile", "coupons", "referrals", "loyalty", "giveaways"]
ALL_PARTS: frozenset[InventoryPart] = frozenset(get_args(InventoryPart))
#: (canonical customer id, the parts a field needs)
InventoryKey = tuple[str, frozenset[InventoryPart]]


class InventoryByCustomerLoader(BatchLoader[InventoryKey, CustomerInventory | None]):
    """A customer's inventory holding at least the asked parts; ``None`` when Talon.One has
    no profile for them. Keys of one customer in a batch share one call."""

    vendor = VENDOR

    def __init__(self, ctx: GraphQLContext, *, naive: bool = False) -> None:
        super().__init__(ctx, naive=naive)
        #: what this request already fetched per customer (parts, result)
        self._fetched: dict[str, list[tuple[frozenset[InventoryPart], object]]] = {}

    async def fetch(
        self, keys: list[InventoryKey]
    ) -> Mapping[InventoryKey, CustomerInventory | Exception | None]:
        wanted: dict[str, set[InventoryPart]] = {}
        for customer_id, parts in keys:
            wanted.setdefault(customer_id, set()).update(parts)
        found = await self.ctx.fan_out(
            VENDOR, list(wanted), lambda cid: self._one(cid, frozenset(wanted[cid]))
        )
        return {key: found[key[0]] for key in keys}

    async def _one(
        self, customer_id: str, parts: frozenset[InventoryPart]
    ) -> CustomerInventory | None:
        for held, result in self._fetched.get(customer_id, ()):
            if parts <= held:
                return _inventory(result)
        ctx = self.ctx
        for superset in _supersets(parts):
            entry = await ctx.cache_peek(_key(ctx, customer_id, superset))
            if entry is not None:
                return self._remember(customer_id, superset, entry.value)

        stored_tags = [tags.promotion_inventory(ctx, customer_id)]

        async def load() -> CustomerInventory | None:
            try:
                found = await ctx.vendors.talon.get_customer_inventory(
                    customer_id,
                    profile="profile" in parts,
                    coupons="coupons" in parts,
                    referrals="referrals" in parts,
                    loyalty="loyalty" in parts,
                    giveaways="giveaways" in parts,
                )
            except VendorNotFoundError:
                return None
            # the cache reads the tags once the load returns: an audience write (delete,
            # empty, set members' attributes) then reaches this member's cached profile
            profile = found.profile
            for membership in (profile.audience_memberships or []) if profile else []:
                stored_tags.append(tags.audience_members(ctx, membership.id))
            return found

        result = await ctx.cached(_key(ctx, customer_id, parts), "inventory", load, stored_tags)
        return self._remember(customer_id, parts, result)

    def _remember(
        self, customer_id: str, parts: frozenset[InventoryPart], result: object
    ) -> CustomerInventory | None:
        self._fetched.setdefault(customer_id, []).append((parts, result))
        return _inventory(result)


class ReservedCustomersByCouponLoader(BatchLoader[str, list[CustomerProfile] | None]):
    """The profiles holding a (soft or hard) reservation of a coupon, by coupon value;
    ``None`` when the coupon does not exist."""

    vendor = VENDOR

    async def fetch(
        self, keys: list[str]
    ) -> Mapping[str, list[CustomerProfile] | Exception | None]:
        ctx = self.ctx

        async def load(value: str) -> list[CustomerProfile] | None:
            try:
                return (await ctx.vendors.talon.get_reserved_customers(value)).data
            except VendorNotFoundError:
                return None

        async def one(value: str) -> list[CustomerProfile] | None:
            return await ctx.cached(
                ctx.cache_key(VENDOR, "getReservedCustomers", couponValue=value),
                "coupon_holders",
                lambda: load(value),
                [tags.coupon_holders(ctx, value)],
            )

        return await ctx.fan_out(VENDOR, keys, one)


def _key(ctx: GraphQLContext, customer_id: str, parts: frozenset[InventoryPart]) -> CacheKey:
    return ctx.cache_key(
        VENDOR, "getCustomerInventory", integrationId=customer_id, parts=sorted(parts)
    )


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

"""Query-level functions about promotions (Talon.One). They return Talon.One models or
canonical customer ids; the schema layer wraps them in GraphQL types.

Every customer-level read goes through the inventory loader and names only the part it
needs, so the fields of one customer asked in one request share a single inventory call.
"""

from __future__ import annotations

from collections.abc import Awaitable

from gateway.context import GraphQLContext
from gateway.errors import BadUserInputError
from gateway.vendors.talon.models import (
    AudienceMembership,
    CustomerInventory,
    CustomerProfile,
    Giveaway,
    InventoryCoupon,
    InventoryReferral,
    Loyalty,
)
from gateway.vendors.talon.models.loyalty import LoyaltyLedgerTransaction
from gateway.vendors.talon.reads import (
    ALL_PARTS,
    COUPON_HOLDERS,
    INVENTORY,
    LOYALTY_TRANSACTIONS,
    InventoryPart,
)
from resolvers.mapped_read import MappedRead
from resolvers.offset_cursor import check_first

__all__ = [
    "coupon_holder_ids",
    "customer_audiences",
    "customer_coupons",
    "customer_giveaways",
    "customer_referrals",
    "promotion_loyalty",
    "promotion_loyalty_transactions",
    "promotion_profile",
]


#: the loader's part set of each single part, built once rather than per field
_ONLY: dict[InventoryPart, frozenset[InventoryPart]] = {p: frozenset({p}) for p in ALL_PARTS}


def _inventory(
    ctx: GraphQLContext, customer_id: str, part: InventoryPart
) -> Awaitable[CustomerInventory | None]:
    """The loader's future: the load is issued at the call."""
    return ctx.loaders.read(INVENTORY).load((customer_id, _ONLY[part]))


async def promotion_profile(ctx: GraphQLContext, customer_id: str) -> CustomerProfile | None:
    """The Talon.One profile, or ``None`` when Talon.One has none for this customer."""
    found = await _inventory(ctx, customer_id, "profile")
    return found.profile if found else None


def customer_audiences(
    ctx: GraphQLContext, customer_id: str
) -> Awaitable[list[AudienceMembership] | None]:
    """The audiences the customer's profile belongs to (from the profile). The inventory
    load is issued at the call, so a caller can start other reads before awaiting this one
    (``Customer.segments`` asks both systems at once without a task each)."""
    return MappedRead(_inventory(ctx, customer_id, "profile"), _audiences)


def _audiences(found: CustomerInventory | None) -> list[AudienceMembership] | None:
    profile = found.profile if found else None
    return (profile.audience_memberships or []) if profile else None


async def customer_coupons(ctx: GraphQLContext, customer_id: str) -> list[InventoryCoupon] | None:
    """Coupons reserved for (or redeemed by) the customer."""
    found = await _inventory(ctx, customer_id, "coupons")
    return (found.coupons or []) if found else None


async def customer_referrals(
    ctx: GraphQLContext, customer_id: str
) -> list[InventoryReferral] | None:
    """Referral codes the customer advocates."""
    found = await _inventory(ctx, customer_id, "referrals")
    return (found.referrals or []) if found else None


async def promotion_loyalty(ctx: GraphQLContext, customer_id: str) -> Loyalty | None:
    """The customer's Talon.One loyalty ledgers."""
    found = await _inventory(ctx, customer_id, "loyalty")
    if found is None:
        return None
    return found.loyalty or Loyalty(programs={})


async def promotion_loyalty_transactions(
    ctx: GraphQLContext, customer_id: str, program_id: int, first: int
) -> list[LoyaltyLedgerTransaction] | None:
    """The newest ``first`` rows of the customer's ledger in one program; ``None`` when
    Talon.One knows no such profile or program."""
    if program_id < 1:
        raise BadUserInputError("Not a loyalty program id.", argument="programId")
    check_first(first)
    found = await ctx.loaders.read(LOYALTY_TRANSACTIONS).load((customer_id, program_id, first))
    return None if found is None else found.data


async def customer_giveaways(ctx: GraphQLContext, customer_id: str) -> list[Giveaway] | None:
    """Giveaway codes awarded to the customer."""
    found = await _inventory(ctx, customer_id, "giveaways")
    return (found.giveaways or []) if found else None


async def coupon_holder_ids(ctx: GraphQLContext, value: str) -> list[str] | None:
    """Canonical ids of the customers holding a reservation of the coupon; ``None`` when the
    coupon does not exist."""
    found = await ctx.loaders.read(COUPON_HOLDERS).load(value)
    return None if found is None else [p.integration_id for p in found]

"""Query-level functions about promotions (Talon.One). They return Talon.One models or
canonical customer ids; the schema layer wraps them in GraphQL types.

The customer-level reads go through the inventory loader and name only the part their field
needs (the key ``vendors.talon.reads.INVENTORY`` declares for the field), so the
fields of one customer asked in one request share a single inventory call. A field that
just converts its part (profile, coupons, referrals, loyalty, giveaways, the loyalty ledger)
loads it with :func:`resolvers.field_reads.field_read` from the schema; what stays here
serves more than one field (the audiences also feed ``Customer.segments``).
"""

from __future__ import annotations

from collections.abc import Awaitable

from gateway.context import GraphQLContext
from resolvers.field_reads import field_read
from resolvers.mapped_read import MappedRead
from vendors.talon.models import AudienceMembership, CustomerInventory
from vendors.talon.reads import COUPON_HOLDERS, INVENTORY

__all__ = ["coupon_holder_ids", "customer_audiences"]


def customer_audiences(
    ctx: GraphQLContext, customer_id: str
) -> Awaitable[list[AudienceMembership] | None]:
    """The audiences the customer's profile belongs to (from the profile). The inventory
    load is issued at the call, so a caller can start other reads before awaiting this one
    (``Customer.segments`` asks both systems at once without a task each)."""
    found = field_read(ctx, INVENTORY, "Customer.audiences", customer_id)
    return MappedRead(found, _audiences)


def _audiences(found: CustomerInventory | None) -> list[AudienceMembership] | None:
    profile = found.profile if found else None
    return (profile.audience_memberships or []) if profile else None


async def coupon_holder_ids(ctx: GraphQLContext, value: str) -> list[str] | None:
    """Canonical ids of the customers holding a reservation of the coupon; ``None`` when the
    coupon does not exist."""
    found = await ctx.loaders.read(COUPON_HOLDERS).load(value)
    return None if found is None else [p.integration_id for p in found]

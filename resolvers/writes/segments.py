"""Loyalty segment membership (Tallymarks): add a customer by hand, or remove them."""

from __future__ import annotations

from gateway.context import GraphQLContext
from resolvers import cache_tags as tags
from vendors.errors import VendorNotFoundError
from vendors.tallymarks.models import SegmentMembership

__all__ = ["add_to_segment", "remove_from_segment"]

#: Tallymarks' code when the customer simply is not in the segment
MEMBERSHIP_NOT_FOUND = "SegmentMembershipNotFound"


async def add_to_segment(
    ctx: GraphQLContext, customer_id: str, segment_id: str
) -> SegmentMembership:
    """Re-adding an active membership is a no-op at Tallymarks (safe to retry)."""
    membership = await ctx.vendors.tallymarks.add_segment(customer_id, segment_id)
    ctx.invalidate(tags.loyalty_segments(ctx, customer_id))
    return membership


async def remove_from_segment(ctx: GraphQLContext, customer_id: str, segment_id: str) -> bool:
    """True when a membership was removed; False when there was none (so a retried remove
    is not an error). An unknown customer or segment is still an error."""
    try:
        await ctx.vendors.tallymarks.remove_segment(customer_id, segment_id)
    except VendorNotFoundError as exc:
        if exc.code == MEMBERSHIP_NOT_FOUND:
            return False
        raise
    ctx.invalidate(tags.loyalty_segments(ctx, customer_id))
    return True

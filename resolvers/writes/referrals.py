"""Referral codes (Talon.One): one for an advocate, or one each for many advocates."""

from __future__ import annotations

from gateway.context import GraphQLContext
from resolvers import cache_tags as tags
from vendors.talon.models import NewReferral, NewReferralsForMultipleAdvocates, Referral

__all__ = ["create_referral", "create_referrals"]


async def create_referral(ctx: GraphQLContext, referral: NewReferral) -> Referral:
    created = await ctx.vendors.talon.create_referral(referral)
    ctx.invalidate(tags.promotion_inventory(ctx, referral.advocate_profile_integration_id))
    return created


async def create_referrals(
    ctx: GraphQLContext, referrals: NewReferralsForMultipleAdvocates
) -> list[Referral]:
    """One code per advocate, in one call (asked for with ``silent=no`` to get the codes)."""
    created = await ctx.vendors.talon.create_referrals_for_multiple_advocates(
        referrals, silent=False
    )
    advocates = referrals.advocate_profile_integration_ids
    ctx.invalidate(*(tags.promotion_inventory(ctx, cid) for cid in advocates))
    return created.data if created is not None else []

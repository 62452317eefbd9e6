"""Coupon reservations (Talon.One): soft-reserve a coupon for customers, or release it."""

from __future__ import annotations

from gateway.context import GraphQLContext
from resolvers import cache_tags as tags
from vendors.talon.models import Coupon, CouponReservations

__all__ = ["release_coupon", "reserve_coupon"]


def _changed(ctx: GraphQLContext, value: str, customer_ids: list[str]) -> None:
    ctx.invalidate(
        tags.coupon_holders(ctx, value),
        *(tags.promotion_inventory(ctx, cid) for cid in customer_ids),
    )


async def reserve_coupon(ctx: GraphQLContext, value: str, customer_ids: list[str]) -> Coupon:
    """The coupon shows in those customers' inventories; anyone may still redeem it.
    Reserving again for the same customer changes nothing (safe to retry)."""
    body = CouponReservations(integration_ids=customer_ids)
    coupon = await ctx.vendors.talon.create_coupon_reservation(value, body)
    _changed(ctx, value, customer_ids)
    return coupon


async def release_coupon(ctx: GraphQLContext, value: str, customer_ids: list[str]) -> None:
    body = CouponReservations(integration_ids=customer_ids)
    await ctx.vendors.talon.delete_coupon_reservation(value, body)
    _changed(ctx, value, customer_ids)

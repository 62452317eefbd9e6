"""Cart sessions (Talon.One customer sessions): update (or dry-run) and return items.

A non-dry write changes the session, and — when it closes, cancels or returns — the
customer's inventory (points, redeemed coupons) and the holders of the coupons it used.
"""

from __future__ import annotations

from cache import Tag
from gateway.context import GraphQLContext
from resolvers import cache_tags as tags
from resolvers.writes.talon_calls import talon_write
from vendors.talon.models import (
    IntegrationRequest,
    IntegrationStateV2,
    NewCustomerSessionV2,
    NewReturn,
    ReturnedCartItem,
    ReturnIntegrationRequest,
)

__all__ = ["return_cart_items", "update_cart_session"]


def _changed(ctx: GraphQLContext, session_id: str, state: IntegrationStateV2) -> list[Tag]:
    changed = [tags.promotion_session(ctx, session_id)]
    session = state.customer_session
    if session is not None:
        if session.profile_id:
            changed.append(tags.promotion_inventory(ctx, session.profile_id))
        changed.extend(tags.coupon_holders(ctx, code) for code in session.coupon_codes or [])
    return changed


async def update_cart_session(
    ctx: GraphQLContext, session_id: str, session: NewCustomerSessionV2, *, dry: bool
) -> IntegrationStateV2:
    """Fields left out keep their stored values; a dry run stores nothing."""
    body = IntegrationRequest(customer_session=session, response_content=["customerSession"])
    state = await talon_write(
        ctx.vendors.talon.update_customer_session_v2(session_id, body, dry=dry)
    )
    if not dry:
        ctx.invalidate(*_changed(ctx, session_id, state))
    return state


async def return_cart_items(
    ctx: GraphQLContext, session_id: str, items: list[ReturnedCartItem], *, dry: bool
) -> IntegrationStateV2:
    """Closed (or partly returned) sessions only; the effects tied to the items roll back."""
    body = ReturnIntegrationRequest(
        return_=NewReturn(returned_cart_items=items), response_content=["customerSession"]
    )
    state = await talon_write(ctx.vendors.talon.return_cart_items(session_id, body, dry=dry))
    if not dry:
        ctx.invalidate(*_changed(ctx, session_id, state))
    return state

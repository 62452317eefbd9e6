"""Loyalty events (Tallymarks Event API): track, redeem, assess a basket.

Every event carries an ``eventId`` (the client's, or a fresh GUID): Tallymarks answers a
repeat with 208 and processes nothing twice, so a client that keeps its eventId may retry.
"""

from __future__ import annotations

from gateway.context import GraphQLContext
from gateway.errors import BadUserInputError
from resolvers import cache_tags as tags
from vendors.errors import VendorInvalidInputError
from vendors.tallymarks.models import (
    ActionEvent,
    BasketAssessment,
    BasketEvent,
    EventAccepted,
    OrderEvent,
    PointsEvent,
    RedemptionAccepted,
    RedemptionEvent,
    TransactionEvent,
)

__all__ = ["LoyaltyEvent", "assess_basket", "redeem_points", "track_loyalty_event"]

LoyaltyEvent = ActionEvent | OrderEvent | TransactionEvent | PointsEvent

#: Tallymarks' refusals of a redemption, as the argument a client should change
_REDEMPTION_REFUSALS = {
    "InsufficientBalance": ("The customer does not have enough points.", "input.points"),
    "AccountLocked": ("The customer's loyalty account is locked.", "input.customerId"),
}


def _written(ctx: GraphQLContext, customer_id: str) -> None:
    """An event may change history, balance and segments, and auto-create the customer."""
    ctx.invalidate(
        *tags.loyalty_event_written(ctx, customer_id),
        tags.loyalty_profile(ctx, customer_id),
        tags.loyalty_search(ctx),
    )


async def track_loyalty_event(ctx: GraphQLContext, event: LoyaltyEvent) -> EventAccepted:
    client = ctx.vendors.tallymarks
    if isinstance(event, ActionEvent):
        accepted = await client.track_action(event)
    elif isinstance(event, OrderEvent):
        accepted = await client.track_order(event)
    elif isinstance(event, TransactionEvent):
        accepted = await client.track_transaction(event)
    else:
        accepted = await client.track_points(event)
    _written(ctx, event.customer_id)
    return accepted


async def redeem_points(ctx: GraphQLContext, event: RedemptionEvent) -> RedemptionAccepted:
    """Validated at once by Tallymarks: a locked account or a short balance is bad input."""
    try:
        accepted = await ctx.vendors.tallymarks.redeem_points(event)
    except VendorInvalidInputError as exc:
        refusal = _REDEMPTION_REFUSALS.get(exc.code or "")
        if refusal is None:
            raise
        message, argument = refusal
        raise BadUserInputError(message, argument=argument, vendor="tallymarks") from None
    _written(ctx, event.customer_id)
    return accepted


async def assess_basket(ctx: GraphQLContext, event: BasketEvent) -> BasketAssessment:
    """What a basket would earn; Tallymarks stores nothing, so nothing is invalidated."""
    return await ctx.vendors.tallymarks.assess_basket(event)

"""Custom promotion events (Talon.One ``trackEventV2``): the rule engine runs on them."""

from __future__ import annotations

from typing import Any

from gateway.context import GraphQLContext
from resolvers import cache_tags as tags
from resolvers.writes.talon_calls import talon_write
from vendors.talon.models import IntegrationEventV2Request, IntegrationStateV2

__all__ = ["track_promotion_event"]


async def track_promotion_event(
    ctx: GraphQLContext, customer_id: str, event_type: str, attributes: dict[str, Any]
) -> IntegrationStateV2 | None:
    """Talon.One creates the profile if it does not exist. The answer carries the effects
    and the stored event (asked for with ``silent=no``)."""
    body = IntegrationEventV2Request(
        type=event_type,
        profile_id=customer_id,
        attributes=attributes,
        response_content=["event"],
    )
    state = await talon_write(ctx.vendors.talon.track_event_v2(body, silent=False))
    ctx.invalidate(tags.promotion_inventory(ctx, customer_id))
    return state

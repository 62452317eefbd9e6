"""Audiences (Talon.One): create, rename, delete, empty, set members' attributes, and
change memberships in bulk.

Changes that reach every member (delete, empty, attributes) invalidate the
``audience_members`` tag, which readers of a profile put on it for each audience it is in.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

from gateway.context import GraphQLContext
from resolvers import cache_tags as tags
from vendors.talon.models import (
    Audience,
    CustomerProfileAudienceRequest,
    CustomerProfileAudienceRequestItem,
    NewAudience,
    UpdateAudience,
)

__all__ = [
    "MembershipAction",
    "MembershipChange",
    "clear_audience_members",
    "create_audience",
    "delete_audience",
    "rename_audience",
    "set_audience_member_attributes",
    "update_audience_memberships",
]


class MembershipAction(Enum):
    ADD = "add"
    REMOVE = "delete"


@dataclass(frozen=True)
class MembershipChange:
    customer_id: str
    audience_id: int
    action: MembershipAction


async def create_audience(ctx: GraphQLContext, audience: NewAudience) -> Audience:
    """A duplicate ``(integration, integrationId)`` is refused by Talon.One (CONFLICT)."""
    created = await ctx.vendors.talon.create_audience_v2(audience)
    ctx.invalidate(tags.promotion_audiences(ctx))
    return created


async def rename_audience(ctx: GraphQLContext, audience_id: int, name: str) -> Audience:
    renamed = await ctx.vendors.talon.update_audience_v2(audience_id, UpdateAudience(name=name))
    ctx.invalidate(
        tags.promotion_audience(ctx, audience_id),
        tags.promotion_audiences(ctx),
        # members' profiles list their audiences by name
        tags.audience_members(ctx, audience_id),
    )
    return renamed


async def delete_audience(ctx: GraphQLContext, audience_id: int) -> None:
    """Also removes every membership of the audience."""
    await ctx.vendors.talon.delete_audience_v2(audience_id)
    ctx.invalidate(
        tags.promotion_audience(ctx, audience_id),
        tags.promotion_audiences(ctx),
        tags.audience_members(ctx, audience_id),
    )


async def clear_audience_members(ctx: GraphQLContext, audience_id: int) -> None:
    await ctx.vendors.talon.delete_audience_memberships_v2(audience_id)
    ctx.invalidate(
        tags.promotion_audience(ctx, audience_id), tags.audience_members(ctx, audience_id)
    )


async def set_audience_member_attributes(
    ctx: GraphQLContext, audience_id: int, attributes: dict[str, Any]
) -> None:
    """Sets these profile attributes on every current member."""
    await ctx.vendors.talon.update_audience_customers_attributes(audience_id, attributes)
    ctx.invalidate(tags.audience_members(ctx, audience_id))


async def update_audience_memberships(ctx: GraphQLContext, changes: list[MembershipChange]) -> None:
    """All changes in one call (Talon.One creates unknown profiles on ``add``)."""
    body = CustomerProfileAudienceRequest(
        data=[
            CustomerProfileAudienceRequestItem(
                action=c.action.value,
                profile_integration_id=c.customer_id,
                audience_id=c.audience_id,
            )
            for c in changes
        ]
    )
    await ctx.vendors.talon.update_customer_profile_audiences(body)
    ctx.invalidate(
        *{tags.promotion_inventory(ctx, c.customer_id) for c in changes},
        *{tags.promotion_audience(ctx, c.audience_id) for c in changes},
        *{tags.audience_members(ctx, c.audience_id) for c in changes},
    )

"""The cache tags every loader stores under and every write invalidates.

One place names them, so a write can't forget a reader: a loader tags each cached read with
the resources it is about; a mutation, after the vendor accepted it, invalidates the tags of
exactly what it changed (``ctx.invalidate(*tags)``).
"""

from __future__ import annotations

from gateway.cache import Tag
from gateway.context import GraphQLContext

ALL = "*"  # resources that are lists over the tenant (search pages)


def loyalty_profile(ctx: GraphQLContext, customer_id: str) -> Tag:
    return ctx.tag("tallymarks", "customer", customer_id)


def loyalty_balance(ctx: GraphQLContext, customer_id: str) -> Tag:
    return ctx.tag("tallymarks", "balance", customer_id)


def loyalty_segments(ctx: GraphQLContext, customer_id: str) -> Tag:
    return ctx.tag("tallymarks", "segments", customer_id)


def loyalty_events(ctx: GraphQLContext, customer_id: str) -> Tag:
    return ctx.tag("tallymarks", "events", customer_id)


def loyalty_transactions(ctx: GraphQLContext, customer_id: str) -> Tag:
    return ctx.tag("tallymarks", "transactions", customer_id)


def loyalty_search(ctx: GraphQLContext) -> Tag:
    return ctx.tag("tallymarks", "search", ALL)


def support_customer(ctx: GraphQLContext, customer_id: str) -> Tag:
    return ctx.tag("omnidesk", "customer", customer_id)


def support_timeline(ctx: GraphQLContext, customer_id: str) -> Tag:
    return ctx.tag("omnidesk", "timeline", customer_id)


def support_search(ctx: GraphQLContext) -> Tag:
    return ctx.tag("omnidesk", "search", ALL)


def promotion_inventory(ctx: GraphQLContext, customer_id: str) -> Tag:
    return ctx.tag("talon", "inventory", customer_id)


def coupon_holders(ctx: GraphQLContext, coupon_value: str) -> Tag:
    return ctx.tag("talon", "coupon", coupon_value)


def loyalty_event_written(ctx: GraphQLContext, customer_id: str) -> list[Tag]:
    """A Tallymarks event can change events, transactions, balance and segments."""
    return [
        loyalty_events(ctx, customer_id),
        loyalty_transactions(ctx, customer_id),
        loyalty_balance(ctx, customer_id),
        loyalty_segments(ctx, customer_id),
    ]


def everything_about(ctx: GraphQLContext, customer_id: str) -> list[Tag]:
    """Every cached read about one customer, at every vendor (e.g. after a GDPR erase)."""
    return [
        loyalty_profile(ctx, customer_id),
        *loyalty_event_written(ctx, customer_id),
        loyalty_search(ctx),
        support_customer(ctx, customer_id),
        support_timeline(ctx, customer_id),
        support_search(ctx),
        promotion_inventory(ctx, customer_id),
    ]


def promotion_session(ctx: GraphQLContext, session_id: str) -> Tag:
    """A cart session (Talon.One customer session) by its integration id."""
    return ctx.tag("talon", "session", session_id)


def promotion_audience(ctx: GraphQLContext, audience_id: int) -> Tag:
    """One audience's own fields (name, description)."""
    return ctx.tag("talon", "audience", str(audience_id))


def audience_members(ctx: GraphQLContext, audience_id: int) -> Tag:
    """Reads that depend on who is in an audience, or on its members' attributes: a reader
    of a profile tags it with this for every audience the profile belongs to, so deleting
    or emptying an audience reaches each member's cached profile."""
    return ctx.tag("talon", "audience-members", str(audience_id))


def promotion_audiences(ctx: GraphQLContext) -> Tag:
    """Lists over the tenant's audiences."""
    return ctx.tag("talon", "audiences", ALL)

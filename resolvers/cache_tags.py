"""The cache tags writes invalidate, scoped to the request's tenant.

The reads declare the tags they are stored under (``gateway/vendors/*/reads.py``); these
helpers build the very same tags for the write side, so a write can't forget a reader: a
mutation, after the vendor accepted it, invalidates the tags of exactly what it changed
(``ctx.invalidate(*tags)``).
"""

from __future__ import annotations

from typing import Protocol

from gateway.cache import Tag
from gateway.vendors.omnidesk import reads as omnidesk
from gateway.vendors.reads import TagRef
from gateway.vendors.tallymarks import reads as tallymarks
from gateway.vendors.talon import reads as talon


class TagScope(Protocol):
    """What scopes a tag to a tenant (the GraphQL context)."""

    def tag(self, vendor: str, resource: str, ident: str) -> Tag: ...


def _scoped(ctx: TagScope, ref: TagRef) -> Tag:
    return ctx.tag(ref.vendor, ref.resource, ref.ident)


def loyalty_profile(ctx: TagScope, customer_id: str) -> Tag:
    return _scoped(ctx, tallymarks.profile_tag(customer_id))


def loyalty_balance(ctx: TagScope, customer_id: str) -> Tag:
    return _scoped(ctx, tallymarks.balance_tag(customer_id))


def loyalty_segments(ctx: TagScope, customer_id: str) -> Tag:
    return _scoped(ctx, tallymarks.segments_tag(customer_id))


def loyalty_events(ctx: TagScope, customer_id: str) -> Tag:
    return _scoped(ctx, tallymarks.events_tag(customer_id))


def loyalty_transactions(ctx: TagScope, customer_id: str) -> Tag:
    return _scoped(ctx, tallymarks.transactions_tag(customer_id))


def loyalty_search(ctx: TagScope) -> Tag:
    return _scoped(ctx, tallymarks.search_tag())


def support_customer(ctx: TagScope, customer_id: str) -> Tag:
    return _scoped(ctx, omnidesk.customer_tag(customer_id))


def support_timeline(ctx: TagScope, customer_id: str) -> Tag:
    return _scoped(ctx, omnidesk.timeline_tag(customer_id))


def support_search(ctx: TagScope) -> Tag:
    return _scoped(ctx, omnidesk.search_tag())


def promotion_inventory(ctx: TagScope, customer_id: str) -> Tag:
    return _scoped(ctx, talon.inventory_tag(customer_id))


def coupon_holders(ctx: TagScope, coupon_value: str) -> Tag:
    return _scoped(ctx, talon.coupon_tag(coupon_value))


def loyalty_event_written(ctx: TagScope, customer_id: str) -> list[Tag]:
    """A Tallymarks event can change events, transactions, balance and segments."""
    return [
        loyalty_events(ctx, customer_id),
        loyalty_transactions(ctx, customer_id),
        loyalty_balance(ctx, customer_id),
        loyalty_segments(ctx, customer_id),
    ]


def everything_about(ctx: TagScope, customer_id: str) -> list[Tag]:
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


def promotion_session(ctx: TagScope, session_id: str) -> Tag:
    """A cart session (Talon.One customer session) by its integration id."""
    return _scoped(ctx, talon.session_tag(session_id))


def promotion_audience(ctx: TagScope, audience_id: int) -> Tag:
    """One audience's own fields (name, description)."""
    return _scoped(ctx, talon.audience_tag(audience_id))


def audience_members(ctx: TagScope, audience_id: int) -> Tag:
    """Reads that depend on who is in an audience, or on its members' attributes: the
    inventory read tags a profile with this for every audience it belongs to, so deleting
    or emptying an audience reaches each member's cached profile."""
    return _scoped(ctx, talon.audience_members_tag(audience_id))


def promotion_audiences(ctx: TagScope) -> Tag:
    """Lists over the tenant's audiences."""
    return _scoped(ctx, talon.audiences_tag())

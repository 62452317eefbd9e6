"""The cache tags writes invalidate, scoped to the request's tenant.

The reads declare the tags they are stored under (``vendors/*/reads.py``); these
helpers build the very same tags for the write side, so a write can't forget a reader: a
mutation, after the vendor accepted it, invalidates the tags of exactly what it changed
(``ctx.invalidate(*tags)``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Concatenate, ParamSpec, Protocol

from cache import Tag
from vendors.omnidesk import reads as omnidesk
from vendors.reads import TagRef
from vendors.tallymarks import reads as tallymarks
from vendors.talon import reads as talon

P = ParamSpec("P")


class TagScope(Protocol):
    """What scopes a tag to a tenant (the GraphQL context)."""

    def tag(self, vendor: str, resource: str, ident: str) -> Tag: ...


def _scoped(ctx: TagScope, ref: TagRef) -> Tag:
    return ctx.tag(ref.vendor, ref.resource, ref.ident)


def _scoping(ref: Callable[P, TagRef]) -> Callable[Concatenate[TagScope, P], Tag]:
    """The read side's tag function, scoped to the request's tenant for the write side."""

    def scoped(ctx: TagScope, /, *args: P.args, **kwargs: P.kwargs) -> Tag:
        return _scoped(ctx, ref(*args, **kwargs))

    return scoped


loyalty_profile = _scoping(tallymarks.profile_tag)
loyalty_balance = _scoping(tallymarks.balance_tag)
loyalty_segments = _scoping(tallymarks.segments_tag)
loyalty_events = _scoping(tallymarks.events_tag)
loyalty_transactions = _scoping(tallymarks.transactions_tag)
loyalty_search = _scoping(tallymarks.search_tag)
support_customer = _scoping(omnidesk.customer_tag)
support_timeline = _scoping(omnidesk.timeline_tag)
support_search = _scoping(omnidesk.search_tag)
promotion_inventory = _scoping(talon.inventory_tag)
coupon_holders = _scoping(talon.coupon_tag)
#: a cart session (Talon.One customer session) by its integration id
promotion_session = _scoping(talon.session_tag)
promotion_audience = _scoping(talon.audience_tag)
#: the inventory read tags a profile with this for every audience it belongs to, so
#: deleting or emptying an audience reaches each member's cached profile
audience_members = _scoping(talon.audience_members_tag)
promotion_audiences = _scoping(talon.audiences_tag)


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

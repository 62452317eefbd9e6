"""Query-level functions for a customer's activity: their loyalty events (Tallymarks) as a
Relay page, and the feed merging loyalty events, the support timeline (Omnidesk) and the
promotion inventory (Talon.One), newest first, under one cursor.

They return vendor records (wrapped in :class:`ActivityItem`) and cursors, never GraphQL
types. Every read goes through the per-request loaders the rest of the request uses, so a
feed next to ``events``, ``timeline`` or ``coupons`` in one query repeats no call.
"""

from __future__ import annotations

from collections.abc import Awaitable, Mapping, Sequence
from dataclasses import dataclass, field

from gateway.context import GraphQLContext
from gateway.errors import BadUserInputError
from resolvers.activity_cursor import (
    FeedPosition,
    ListPosition,
    PagedPosition,
    decode_cursor,
    encode_cursor,
    feed_scope,
)
from resolvers.activity_items import (
    ActivityItem,
    Source,
    promotion_items,
    support_item,
)
from resolvers.activity_merge import merge
from resolvers.activity_streams import (
    ActivityStream,
    ListStream,
    LoadItems,
    LoyaltyStream,
    ReadEventPage,
)
from resolvers.loyalty import TransactionFilterValues
from resolvers.offset_cursor import OffsetPage, check_first, query_scope, read_page
from vendors.errors import VendorError, VendorInvalidInputError
from vendors.omnidesk.models import TimelineEntry
from vendors.omnidesk.reads import TIMELINE
from vendors.tallymarks.models import CustomerEvent, EventPage
from vendors.tallymarks.reads import EVENTS
from vendors.talon.models import CustomerInventory
from vendors.talon.reads import FEED_INVENTORY_PARTS, INVENTORY

__all__ = [
    "ActivityPage",
    "EventFilterValues",
    "activity_page",
    "loyalty_events_page",
    "promotion_events",
]

#: the feed shows the support timeline as the ``timeline`` field does by default (no tickets),
#: so both share one call
FEED_TIMELINE_TICKETS = False

#: the events filter is the transactions filter (same vendor parameters, same checks)
EventFilterValues = TransactionFilterValues
#: the feed shows every loyalty event
NO_FILTER = EventFilterValues()


# --- loyalty events ------------------------------------------------------------------------


async def loyalty_events_page(
    ctx: GraphQLContext,
    customer_id: str,
    *,
    first: int,
    after: str | None,
    where: EventFilterValues,
) -> OffsetPage[CustomerEvent]:
    """A Relay page of the customer's loyalty events, newest first; cursors wrap the
    vendor's ``offsetKey`` and are only valid with the same filter."""
    where = where.checked()
    scope = query_scope(
        "events",
        tenant=ctx.tenant_key,
        customer=customer_id,
        eventType=where.event_type,
        keyword=where.keyword,
        fromAt=where.from_at.isoformat() if where.from_at else None,
        toAt=where.to_at.isoformat() if where.to_at else None,
    )
    read = _event_reader(ctx, customer_id, where, from_cursor=after is not None)

    async def fetch(offset_key: str | None, limit: int) -> tuple[list[CustomerEvent], str | None]:
        page = await read(offset_key, limit)
        return page.events, page.offset_key

    return await read_page(fetch, first=first, after=after, scope=scope)


async def _vendor_key_checked(read: Awaitable[EventPage], *, from_cursor: bool) -> EventPage:
    """A page read from a cursor's key; the vendor refusing that key means a bad cursor."""
    try:
        return await read
    except VendorInvalidInputError as exc:
        if from_cursor and (exc.field or "").lower() == "offsetkey":
            raise BadUserInputError("This cursor has expired.", argument="after") from None
        raise


# --- promotion events ----------------------------------------------------------------------


async def promotion_events(ctx: GraphQLContext, customer_id: str) -> list[ActivityItem] | None:
    """The events derived from the customer's Talon.One inventory, newest first; ``None``
    when Talon.One has no profile for them. Shares the feed's inventory call."""
    inventory = await ctx.loaders.read(INVENTORY).load((customer_id, FEED_INVENTORY_PARTS))
    if inventory is None:
        return None
    return sorted(promotion_items(inventory), key=lambda i: i.sort_key, reverse=True)


# --- the merged feed -----------------------------------------------------------------------


@dataclass(frozen=True)
class ActivityPage:
    """A Relay page of the feed. ``sources`` are the sources asked for (in feed order);
    ``failures`` those whose vendor failed for this page (their items are missing)."""

    edges: list[tuple[str, ActivityItem]]
    has_next_page: bool
    has_previous_page: bool
    end_cursor: str | None
    sources: tuple[Source, ...]
    failures: Mapping[Source, VendorError] = field(default_factory=dict)

    @property
    def start_cursor(self) -> str | None:
        return self.edges[0][0] if self.edges else None


def feed_sources(sources: Sequence[Source] | None) -> tuple[Source, ...]:
    """The sources asked for, in feed order; ``None`` means all of them."""
    if sources is None:
        return tuple(Source)
    if not sources:
        raise BadUserInputError(
            "Name at least one source, or leave `sources` out for all.", argument="sources"
        )
    return tuple(s for s in Source if s in sources)


async def activity_page(
    ctx: GraphQLContext,
    customer_id: str,
    *,
    first: int,
    after: str | None,
    sources: Sequence[Source] | None,
) -> ActivityPage:
    """The ``first`` newest items after ``after`` (bad arguments → BAD_USER_INPUT).

    Each source is read only as far as the page needs: at most ``first`` loyalty events
    (one Tallymarks page, more only if the page needs them), the timeline and the
    inventory once (cached, shared with the request's other fields).
    """
    check_first(first)
    wanted = feed_sources(sources)
    scope = feed_scope(ctx.tenant_key, customer_id, wanted)
    start = decode_cursor(after, scope, wanted) if after else FeedPosition.start(wanted)
    streams = _open(ctx, customer_id, start, first, from_cursor=bool(after))
    merged = await merge(streams, start, first)
    edges = [(encode_cursor(at, scope), item) for at, item in merged.edges]
    if edges:
        end_cursor: str | None = edges[-1][0]
    else:  # nothing emitted (e.g. a source failed): continuing means asking the same again
        end_cursor = encode_cursor(merged.end, scope) if merged.has_next_page else None
    return ActivityPage(
        edges, merged.has_next_page, bool(after), end_cursor, wanted, merged.failures
    )


def _open(
    ctx: GraphQLContext, customer_id: str, start: FeedPosition, first: int, *, from_cursor: bool
) -> dict[Source, ActivityStream]:
    """One stream per source, each with its first read already started (so the reads join
    the batches of the request's other fields)."""
    streams: dict[Source, ActivityStream] = {}
    for source, at in start.positions.items():
        if isinstance(at, PagedPosition):
            read = _event_reader(ctx, customer_id, NO_FILTER, from_cursor=from_cursor)
            loyalty = LoyaltyStream(read, at)
            loyalty.prefetch(first)
            streams[source] = loyalty
        elif isinstance(at, ListPosition):
            whole = ListStream(source, _list_reader(ctx, customer_id, source), at)
            whole.prefetch()
            streams[source] = whole
    return streams


def _event_reader(
    ctx: GraphQLContext, customer_id: str, where: EventFilterValues, *, from_cursor: bool
) -> ReadEventPage:
    """Pages of the customer's loyalty events, for the ``events`` field and the feed alike:
    a page read from a cursor's key (``from_cursor``) that the vendor refuses is an expired
    cursor."""
    loader = ctx.loaders.read(EVENTS)

    def read(offset_key: str | None, limit: int) -> Awaitable[EventPage]:
        query = where.page_query(customer_id, limit, offset_key)
        return _vendor_key_checked(loader.load(query), from_cursor=from_cursor and bool(offset_key))

    return read


def _list_reader(ctx: GraphQLContext, customer_id: str, source: Source) -> LoadItems:
    def load() -> Awaitable[list[ActivityItem]]:
        if source is Source.SUPPORT:
            timeline = ctx.loaders.read(TIMELINE).load((customer_id, FEED_TIMELINE_TICKETS))
            return _mapped_timeline(timeline)
        inventory = ctx.loaders.read(INVENTORY).load((customer_id, FEED_INVENTORY_PARTS))
        return _mapped_inventory(inventory)

    return load


async def _mapped_timeline(read: Awaitable[list[TimelineEntry] | None]) -> list[ActivityItem]:
    return [support_item(e) for e in await read or ()]


async def _mapped_inventory(read: Awaitable[CustomerInventory | None]) -> list[ActivityItem]:
    return promotion_items(await read)

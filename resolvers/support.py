"""Query-level functions about customer service (Omnidesk). They return Omnidesk models or
canonical customer ids; the schema layer wraps them in GraphQL types."""

from __future__ import annotations

from dataclasses import dataclass

from gateway.context import GraphQLContext
from gateway.errors import BadUserInputError
from resolvers.offset_cursor import OffsetCursor, OffsetPage, check_first, query_scope, read_page
from vendors.omnidesk.models import Customer as SupportCustomer
from vendors.omnidesk.models import CustomerSummary, TimelineEntry
from vendors.omnidesk.reads import (
    CHANNEL_SEARCH,
    CUSTOMER_INDEX,
    SUPPORT_CUSTOMER,
    SUPPORT_CUSTOMER_BY_ID,
    TIMELINE,
    IndexPageKey,
)
from vendors.omnidesk.validation import MAX_ITEM_LIMIT

__all__ = [
    "SupportIndexPage",
    "customer_id_by_support_id",
    "customer_ids_by_channel",
    "support_customer",
    "support_customer_index",
    "support_timeline",
]

#: the largest offset a cursor may carry (far beyond any support desk; keeps ints sane)
_MAX_OFFSET = 10**9


async def support_customer(ctx: GraphQLContext, customer_id: str) -> SupportCustomer | None:
    """The support desk's record of a customer, or ``None`` when it does not know them."""
    return await ctx.loaders.read(SUPPORT_CUSTOMER).load(customer_id)


async def support_timeline(
    ctx: GraphQLContext, customer_id: str, *, include_tickets: bool = False
) -> list[TimelineEntry] | None:
    """The customer's support timeline as Omnidesk orders it; ``None`` when unknown there."""
    return await ctx.loaders.read(TIMELINE).load((customer_id, include_tickets))


async def customer_ids_by_channel(ctx: GraphQLContext, value: str) -> list[str]:
    """Canonical ids of the customers with a channel at this address, in Omnidesk's order;
    support customers not linked to a canonical id are left out."""
    found = await ctx.loaders.read(CHANNEL_SEARCH).load(value)
    return list(dict.fromkeys(c.external_primary_id for c in found if c.external_primary_id))


async def customer_id_by_support_id(ctx: GraphQLContext, support_id: int) -> str | None:
    """The canonical id an Omnidesk customer is linked to, or ``None``."""
    found = await ctx.loaders.read(SUPPORT_CUSTOMER_BY_ID).load(support_id)
    return (found.external_primary_id or None) if found else None


@dataclass(frozen=True)
class SupportIndexPage:
    """A page of the support desk's customer index, with the index's ``itemTotal``."""

    page: OffsetPage[CustomerSummary]
    total: int


def _index_offset(offset_key: str | None) -> int:
    """A cursor's offset key is the index position, in decimal (the scope was checked)."""
    if offset_key is None:
        return 0
    digits = offset_key.isascii() and offset_key.isdigit() and len(offset_key) <= 10
    if not digits or int(offset_key) > _MAX_OFFSET:
        raise BadUserInputError("Not a valid cursor.", argument="after")
    return int(offset_key)


def _at_position(after: str | None, scope: str) -> str | None:
    """The cursor re-based onto the index position it names, so the page is read from there.
    The index is addressed by position: reading from the vendor page's start and skipping
    (what a cursor inside a page would do) spends part of the 100-item read on skipped items
    and returns fewer than ``first``, and can cost a call more."""
    if not after:
        return after
    cursor = OffsetCursor.decode(after, scope)
    if cursor.skip == 0:
        return after
    position = _index_offset(cursor.offset_key) + cursor.skip
    return OffsetCursor(str(position), 0, scope).encode()


async def support_customer_index(
    ctx: GraphQLContext, *, first: int, after: str | None
) -> SupportIndexPage:
    """Every customer of the tenant's support account (all its brands), in Omnidesk's order,
    with its total. A page reads from its cursor's position, so it has ``first`` items (or all
    that are left) in one index call per 99 (Omnidesk's ``itemLimit`` bound), two for
    ``first: 100``, whatever the cursor; bad ``first``/``after`` → BAD_USER_INPUT before any
    call."""
    scope = query_scope("supportIndex")
    check_first(first)
    after = _at_position(after, scope)
    loader = ctx.loaders.read(CUSTOMER_INDEX)
    totals: list[int] = []

    async def fetch(offset_key: str | None, limit: int) -> tuple[list[CustomerSummary], str | None]:
        start = _index_offset(offset_key)
        items: list[CustomerSummary] = []
        while True:
            asked = min(MAX_ITEM_LIMIT, limit - len(items))
            found = await loader.load(IndexPageKey(start + len(items), asked))
            totals.append(found.item_total)
            items += found.items[:asked]
            if len(items) >= limit or len(found.items) < asked:
                break
            if start + len(items) >= found.item_total:
                break
        end = start + len(items)
        # nothing read (the list shrank under the cursor): no cursor that would read it again
        return items, (str(end) if items and end < totals[-1] else None)

    page = await read_page(fetch, first=first, after=after, scope=scope)
    return SupportIndexPage(page, totals[-1])

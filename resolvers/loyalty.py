"""Loyalty reads (Tallymarks): points balance, segment memberships, points transactions.

Plain functions over the per-request loaders; they return vendor models (or pages of
them), never GraphQL types. The single-key reads return the loader's future: the load is
issued at the call, so a caller can start several reads before awaiting any of them, with
no task per read.
"""

from __future__ import annotations

from collections.abc import Awaitable
from dataclasses import dataclass
from datetime import UTC, datetime

from gateway.context import GraphQLContext
from gateway.errors import BadUserInputError
from resolvers.offset_cursor import OffsetPage, query_scope, read_page
from vendors.tallymarks.models import Balance, CustomerTransaction, SegmentMembership
from vendors.tallymarks.reads import BALANCE, SEGMENTS, TRANSACTIONS, HistoryPageQuery

__all__ = [
    "TransactionFilterValues",
    "loyalty_segments",
    "points_balance",
    "transactions_page",
]


def points_balance(ctx: GraphQLContext, customer_id: str) -> Awaitable[Balance | None]:
    """One balance call per customer per request, however many fields ask for it."""
    return ctx.loaders.read(BALANCE).load(customer_id)


def loyalty_segments(ctx: GraphQLContext, customer_id: str) -> Awaitable[list[SegmentMembership]]:
    """Every current segment membership (the loader follows the vendor's pages)."""
    return ctx.loaders.read(SEGMENTS).load(customer_id)


@dataclass(frozen=True)
class TransactionFilterValues:
    """What a transaction list is narrowed to; ``event_type`` is the vendor's value."""

    event_type: str | None = None
    keyword: str | None = None
    from_at: datetime | None = None
    to_at: datetime | None = None

    def checked(self) -> TransactionFilterValues:
        """Blank keywords dropped, times without a zone read as UTC; an inverted time range
        is bad input."""
        from_at, to_at = _utc(self.from_at), _utc(self.to_at)
        if from_at and to_at and from_at > to_at:
            raise BadUserInputError(
                "`filter.from` must not be after `filter.to`.", argument="filter"
            )
        keyword = self.keyword.strip() if self.keyword and self.keyword.strip() else None
        return TransactionFilterValues(self.event_type, keyword, from_at, to_at)

    def page_query(self, customer_id: str, limit: int, offset_key: str | None) -> HistoryPageQuery:
        """One vendor page of the customer's history narrowed to this (checked) filter."""
        where = (self.event_type, self.keyword, self.from_at, self.to_at)
        return HistoryPageQuery(customer_id, limit, offset_key, *where)


def _utc(value: datetime | None) -> datetime | None:
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


async def transactions_page(
    ctx: GraphQLContext,
    customer_id: str,
    *,
    first: int,
    after: str | None,
    where: TransactionFilterValues,
) -> OffsetPage[CustomerTransaction]:
    """A Relay page of the customer's transactions, newest first; cursors wrap the vendor's
    ``offsetKey`` and are only valid with the same filter."""
    where = where.checked()
    loader = ctx.loaders.read(TRANSACTIONS)
    scope = query_scope(
        "transactions",
        eventType=where.event_type,
        keyword=where.keyword,
        fromAt=where.from_at.isoformat() if where.from_at else None,
        toAt=where.to_at.isoformat() if where.to_at else None,
    )

    async def fetch(
        offset_key: str | None, limit: int
    ) -> tuple[list[CustomerTransaction], str | None]:
        page = await loader.load(where.page_query(customer_id, limit, offset_key))
        return page.customer_transactions, page.offset_key

    return await read_page(fetch, first=first, after=after, scope=scope)

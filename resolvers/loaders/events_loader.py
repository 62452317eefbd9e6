"""Tallymarks event pages. The vendor has no bulk read, so a batch fans out one search per
page asked for; every page goes through the cross-request cache.

The ``events`` connection and the activity feed read their Tallymarks pages through this one
loader, so the same page asked by both in one request is one call.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from gateway.vendors.tallymarks.models import EventPage
from resolvers import cache_tags as tags
from resolvers.loaders.base import BatchLoader

__all__ = ["EventPageByQueryLoader", "EventPageQuery"]

VENDOR = "tallymarks"


@dataclass(frozen=True, slots=True)
class EventPageQuery:
    """One vendor page of a customer's events (filters as the vendor takes them)."""

    customer_id: str
    limit: int
    offset_key: str | None = None
    event_type: str | None = None
    keyword: str | None = None
    from_at: datetime | None = None
    to_at: datetime | None = None


class EventPageByQueryLoader(BatchLoader[EventPageQuery, EventPage]):
    """A page of a customer's loyalty events, newest first (an unknown customer has none)."""

    vendor = VENDOR

    async def fetch(
        self, keys: list[EventPageQuery]
    ) -> Mapping[EventPageQuery, EventPage | Exception]:
        ctx = self.ctx

        async def one(q: EventPageQuery) -> EventPage:
            async def load() -> EventPage:
                return await ctx.vendors.tallymarks.search_events(
                    customer_id=q.customer_id,
                    event_type=q.event_type,
                    keyword=q.keyword,
                    from_at=q.from_at,
                    to_at=q.to_at,
                    limit=q.limit,
                    offset_key=q.offset_key,
                )

            key = ctx.cache_key(
                VENDOR,
                "searchEvents",
                customerId=q.customer_id,
                limit=q.limit,
                offsetKey=q.offset_key,
                eventType=q.event_type,
                keyword=q.keyword,
                fromAt=q.from_at.isoformat() if q.from_at else None,
                toAt=q.to_at.isoformat() if q.to_at else None,
            )
            return await ctx.cached(key, "events", load, [tags.loyalty_events(ctx, q.customer_id)])

        return await ctx.fan_out(VENDOR, keys, one)

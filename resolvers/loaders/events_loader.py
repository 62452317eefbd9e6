"""Tallymarks event pages. The vendor has no bulk read, so a batch fans out one search per
page asked for; every page goes through the cross-request cache.

The ``events`` connection and the activity feed read their Tallymarks pages through this one
loader, so the same page asked by both in one request is one call.
"""

from __future__ import annotations

from collections.abc import Mapping

from gateway.vendors.tallymarks.models import EventPage
from resolvers import cache_tags as tags
from resolvers.loaders.base import BatchLoader
from resolvers.loaders.tallymarks import HistoryPageQuery

__all__ = ["EventPageByQueryLoader", "EventPageQuery"]

VENDOR = "tallymarks"


EventPageQuery = HistoryPageQuery


class EventPageByQueryLoader(BatchLoader[EventPageQuery, EventPage]):
    """A page of a customer's loyalty events, newest first (an unknown customer has none)."""

    vendor = VENDOR

    async def fetch(
        self, keys: list[EventPageQuery]
    ) -> Mapping[EventPageQuery, EventPage | Exception]:
        ctx = self.ctx

        async def one(q: EventPageQuery) -> EventPage:
            async def load() -> EventPage:
                return await ctx.vendors.tallymarks.search_events(**q.client_args())

            key = ctx.cache_key(VENDOR, "searchEvents", **q.cache_args())
            return await ctx.cached(key, "events", load, [tags.loyalty_events(ctx, q.customer_id)])

        return await ctx.fan_out(VENDOR, keys, one)

"""Omnidesk loaders. Omnidesk has no bulk read, so batches fan out per key within the
vendor's concurrency limit; every read goes through the cross-request cache.

The identity rule: a customer's Omnidesk record is the one whose ``external_primary_id`` is
the canonical customer id in the tenant's brand (``OmnideskConfig.brand_id``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from gateway.vendors.errors import VendorNotFoundError
from gateway.vendors.omnidesk.models import Customer, TimelineEntry
from resolvers import cache_tags as tags
from resolvers.loaders.base import BatchLoader

if TYPE_CHECKING:
    from gateway.context import GraphQLContext

__all__ = [
    "SupportCustomerByCustomerIdLoader",
    "SupportCustomerBySupportIdLoader",
    "SupportCustomersByChannelValueLoader",
    "TimelineByCustomerLoader",
    "TimelineKey",
]

VENDOR = "omnidesk"

#: (canonical customer id, include tickets)
TimelineKey = tuple[str, bool]


class SupportCustomerByCustomerIdLoader(BatchLoader[str, Customer | None]):
    """The tenant brand's Omnidesk customer by canonical id (``SearchByPrimaryExternalID``);
    ``None`` when the support desk does not know them."""

    vendor = VENDOR

    async def fetch(self, keys: list[str]) -> Mapping[str, Customer | Exception | None]:
        ctx = self.ctx

        async def one(customer_id: str) -> Customer | None:
            return await ctx.cached(
                ctx.cache_key(VENDOR, "searchByPrimaryExternalId", primaryId=customer_id),
                "support_customer",
                lambda: ctx.vendors.omnidesk.search_by_primary_external_id(customer_id),
                [tags.support_customer(ctx, customer_id)],
            )

        return await ctx.fan_out(VENDOR, keys, one)


class SupportCustomerBySupportIdLoader(BatchLoader[int, Customer | None]):
    """An Omnidesk customer by its numeric id (GET item), only when it is in the tenant's
    brand: another brand's ``external_primary_id`` is not a canonical id."""

    vendor = VENDOR

    async def fetch(self, keys: list[int]) -> Mapping[int, Customer | Exception | None]:
        ctx = self.ctx
        brand_id = ctx.tenant.omnidesk.brand_id

        async def load(support_id: int) -> Customer | None:
            try:
                found = await ctx.vendors.omnidesk.get_customer(support_id)
            except VendorNotFoundError:
                return None
            return found if found.brand_id in (None, brand_id) else None

        async def one(support_id: int) -> Customer | None:
            found = await ctx.cached(
                ctx.cache_key(VENDOR, "getCustomer", id=support_id),
                "support_customer",
                lambda: load(support_id),
                # a write names the canonical id, not this one: any customer write drops it
                [tags.support_search(ctx)],
            )
            _prime(ctx, found)
            return found

        return await ctx.fan_out(VENDOR, keys, one)


class SupportCustomersByChannelValueLoader(BatchLoader[str, list[Customer]]):
    """The tenant brand's customers with a channel at this address (e-mail, phone, handle)."""

    vendor = VENDOR

    async def fetch(self, keys: list[str]) -> Mapping[str, list[Customer] | Exception]:
        ctx = self.ctx

        async def one(value: str) -> list[Customer]:
            found = await ctx.cached(
                ctx.cache_key(VENDOR, "searchByCustomerChannelValue", value=value),
                "search",
                lambda: ctx.vendors.omnidesk.search_by_customer_channel_value(value),
                [tags.support_search(ctx)],
            )
            for customer in found:
                _prime(ctx, customer)
            return found

        return await ctx.fan_out(VENDOR, keys, one)

    def missing(self, key: str) -> list[Customer]:
        return []


class TimelineByCustomerLoader(BatchLoader[TimelineKey, list[TimelineEntry] | None]):
    """A customer's Omnidesk timeline (external events; tickets too when asked), by
    ``(canonical id, include tickets)``; ``None`` when the support desk does not know them.

    Also the source of the activity feed's support entries: load it with the same key and
    a request fetches the timeline once.
    """

    vendor = VENDOR

    async def fetch(
        self, keys: list[TimelineKey]
    ) -> Mapping[TimelineKey, list[TimelineEntry] | Exception | None]:
        ctx = self.ctx

        async def load(customer_id: str, include_tickets: bool) -> list[TimelineEntry] | None:
            try:
                timeline = await ctx.vendors.omnidesk.get_timeline(
                    customer_id, include_tickets=include_tickets
                )
            except VendorNotFoundError:
                return None
            return timeline.items

        async def one(key: TimelineKey) -> list[TimelineEntry] | None:
            customer_id, include_tickets = key
            return await ctx.cached(
                ctx.cache_key(VENDOR, "timeline", externalId=customer_id, tickets=include_tickets),
                "timeline",
                lambda: load(customer_id, include_tickets),
                [tags.support_timeline(ctx, customer_id)],
            )

        return await ctx.fan_out(VENDOR, keys, one)


def _prime(ctx: GraphQLContext, customer: Customer | None) -> None:
    """A customer found another way is the answer to "by canonical id" too: no second call."""
    if customer is not None and customer.external_primary_id:
        by_id = ctx.loaders.get(SupportCustomerByCustomerIdLoader)
        by_id.prime(customer.external_primary_id, customer)

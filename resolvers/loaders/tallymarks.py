"""Tallymarks loaders. Tallymarks has no bulk read, so batches fan out per customer within
the vendor's concurrency limit; every read goes through the cross-request cache."""

from __future__ import annotations

from collections.abc import Mapping

from gateway.vendors.errors import VendorNotFoundError
from gateway.vendors.tallymarks.models import Customer
from resolvers import cache_tags as tags
from resolvers.loaders.base import BatchLoader

__all__ = ["CustomerByIdLoader"]

VENDOR = "tallymarks"


class CustomerByIdLoader(BatchLoader[str, Customer | None]):
    """The full Tallymarks profile by customerId; ``None`` when the tenant has no such id."""

    vendor = VENDOR

    async def fetch(self, keys: list[str]) -> Mapping[str, Customer | Exception | None]:
        ctx = self.ctx

        async def one(customer_id: str) -> Customer | None:
            async def load() -> Customer | None:
                try:
                    return await ctx.vendors.tallymarks.get_customer(customer_id)
                except VendorNotFoundError:
                    return None

            return await ctx.cached(
                ctx.cache_key(VENDOR, "getCustomer", customerId=customer_id),
                "customer",
                load,
                [tags.loyalty_profile(ctx, customer_id)],
            )

        return await ctx.fan_out(VENDOR, keys, one)

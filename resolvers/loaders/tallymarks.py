"""Tallymarks loaders. Tallymarks has no bulk read, so batches fan out per customer within
the vendor's concurrency limit; every read goes through the cross-request cache."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from gateway.vendors.errors import VendorNotFoundError
from gateway.vendors.tallymarks.models import (
    Balance,
    Customer,
    CustomerPage,
    CustomerSummary,
    SegmentMembership,
    TransactionPage,
)
from resolvers import cache_tags as tags
from resolvers.loaders.base import BatchLoader

__all__ = [
    "BalanceByCustomerIdLoader",
    "CustomerByIdLoader",
    "CustomerSearchPageByQueryLoader",
    "CustomerSearchPageQuery",
    "CustomerSummaryByIdLoader",
    "SegmentMembershipsByCustomerIdLoader",
    "TransactionPageByQueryLoader",
    "TransactionPageQuery",
]

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


# Loyalty reads and searches ----------------------------------------------------------------


class CustomerSummaryByIdLoader(BatchLoader[str, CustomerSummary | None]):
    """The profile fields a search result already carries (names, e-mail, createdAt).

    Searches prime it with their results, so a list asking only for those fields makes no
    per-customer call; for anyone not primed it falls back to :class:`CustomerByIdLoader`
    (a full profile is a summary too), sharing that loader's one call per customer.
    """

    vendor = VENDOR

    async def fetch(self, keys: list[str]) -> Mapping[str, CustomerSummary | Exception | None]:
        full = self.ctx.loaders.get(CustomerByIdLoader)
        # not ``ctx.fan_out``: the profile loader takes the vendor's concurrency slots itself,
        # and holding them here while it waits could starve it
        found = await asyncio.gather(*(full.load(k) for k in keys), return_exceptions=True)
        out: dict[str, CustomerSummary | Exception | None] = {}
        for key, result in zip(keys, found, strict=True):
            if isinstance(result, BaseException) and not isinstance(result, Exception):
                raise result
            out[key] = result
        return out


class BalanceByCustomerIdLoader(BatchLoader[str, Balance | None]):
    """The points balance; ``None`` when the tenant has no such customer."""

    vendor = VENDOR

    async def fetch(self, keys: list[str]) -> Mapping[str, Balance | Exception | None]:
        ctx = self.ctx

        async def one(customer_id: str) -> Balance | None:
            async def load() -> Balance | None:
                try:
                    return await ctx.vendors.tallymarks.get_balance(customer_id)
                except VendorNotFoundError:
                    return None

            return await ctx.cached(
                ctx.cache_key(VENDOR, "getBalance", customerId=customer_id),
                "balance",
                load,
                [tags.loyalty_balance(ctx, customer_id)],
            )

        return await ctx.fan_out(VENDOR, keys, one)


class SegmentMembershipsByCustomerIdLoader(BatchLoader[str, list[SegmentMembership]]):
    """Every segment membership of a customer (all pages, read and cached as one list);
    ``[]`` when the tenant has no such customer."""

    vendor = VENDOR

    def missing(self, key: str) -> list[SegmentMembership]:
        return []

    async def fetch(self, keys: list[str]) -> Mapping[str, list[SegmentMembership] | Exception]:
        ctx = self.ctx

        async def one(customer_id: str) -> list[SegmentMembership]:
            async def load() -> list[SegmentMembership]:
                try:
                    return [m async for m in ctx.vendors.tallymarks.iter_segments(customer_id)]
                except VendorNotFoundError:
                    return []

            return await ctx.cached(
                ctx.cache_key(VENDOR, "getSegments", customerId=customer_id),
                "segments",
                load,
                [tags.loyalty_segments(ctx, customer_id)],
            )

        return await ctx.fan_out(VENDOR, keys, one)


@dataclass(frozen=True, slots=True)
class HistoryPageQuery:
    """One vendor page of a customer's events or transactions (filters as the vendor takes
    them: the two searches share their parameters)."""

    customer_id: str
    limit: int
    offset_key: str | None = None
    event_type: str | None = None
    keyword: str | None = None
    from_at: datetime | None = None
    to_at: datetime | None = None

    def client_args(self) -> dict[str, Any]:
        return {
            "customer_id": self.customer_id,
            "event_type": self.event_type,
            "keyword": self.keyword,
            "from_at": self.from_at,
            "to_at": self.to_at,
            "limit": self.limit,
            "offset_key": self.offset_key,
        }

    def cache_args(self) -> dict[str, object]:
        return {
            "customerId": self.customer_id,
            "limit": self.limit,
            "offsetKey": self.offset_key,
            "eventType": self.event_type,
            "keyword": self.keyword,
            "fromAt": self.from_at.isoformat() if self.from_at else None,
            "toAt": self.to_at.isoformat() if self.to_at else None,
        }


TransactionPageQuery = HistoryPageQuery


class TransactionPageByQueryLoader(BatchLoader[TransactionPageQuery, TransactionPage]):
    """A page of points transactions; aliases asking for the same page share one call."""

    vendor = VENDOR

    async def fetch(
        self, keys: list[TransactionPageQuery]
    ) -> Mapping[TransactionPageQuery, TransactionPage | Exception]:
        ctx = self.ctx

        async def one(q: TransactionPageQuery) -> TransactionPage:
            async def load() -> TransactionPage:
                return await ctx.vendors.tallymarks.search_transactions(**q.client_args())

            key = ctx.cache_key(VENDOR, "searchTransactions", **q.cache_args())
            return await ctx.cached(
                key, "transactions", load, [tags.loyalty_transactions(ctx, q.customer_id)]
            )

        return await ctx.fan_out(VENDOR, keys, one)


@dataclass(frozen=True, slots=True)
class CustomerSearchPageQuery:
    """One vendor page of a keyword search over the tenant's customers."""

    keyword: str | None
    limit: int
    offset_key: str | None = None


class CustomerSearchPageByQueryLoader(BatchLoader[CustomerSearchPageQuery, CustomerPage]):
    """A page of customer search results, cached under the tenant-wide search tag (any
    customer write invalidates every cached search page)."""

    vendor = VENDOR

    async def fetch(
        self, keys: list[CustomerSearchPageQuery]
    ) -> Mapping[CustomerSearchPageQuery, CustomerPage | Exception]:
        ctx = self.ctx

        async def one(q: CustomerSearchPageQuery) -> CustomerPage:
            async def load() -> CustomerPage:
                return await ctx.vendors.tallymarks.search_customers(
                    q.keyword, limit=q.limit, offset_key=q.offset_key
                )

            key = ctx.cache_key(
                VENDOR, "searchCustomers", keyword=q.keyword, limit=q.limit, offsetKey=q.offset_key
            )
            return await ctx.cached(key, "search", load, [tags.loyalty_search(ctx)])

        return await ctx.fan_out(VENDOR, keys, one)

"""Tallymarks reads, each declared once (see :class:`gateway.vendors.reads.VendorRead`).

Tallymarks has no bulk read: a batch of keys fans out one call per key.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from gateway.vendors.reads import ALL, TagRef, VendorRead, by_parent_id, not_prefetched
from gateway.vendors.tallymarks.models import (
    Balance,
    Customer,
    CustomerPage,
    EventPage,
    SegmentMembership,
    TransactionPage,
)

if TYPE_CHECKING:
    from gateway.vendors.clients import TenantClients

__all__ = [
    "BALANCE",
    "CUSTOMER",
    "CUSTOMER_SEARCH",
    "EVENTS",
    "READS",
    "SEGMENTS",
    "TRANSACTIONS",
    "CustomerSearchPageQuery",
    "HistoryPageQuery",
    "balance_tag",
    "events_tag",
    "profile_tag",
    "search_tag",
    "segments_tag",
    "transactions_tag",
]

VENDOR = "tallymarks"


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


@dataclass(frozen=True, slots=True)
class CustomerSearchPageQuery:
    """One vendor page of a keyword search over the tenant's customers."""

    keyword: str | None
    limit: int
    offset_key: str | None = None


# tags: what writes invalidate (resolvers.cache_tags names them for the write side)


def profile_tag(customer_id: str) -> TagRef:
    return TagRef(VENDOR, "customer", customer_id)


def balance_tag(customer_id: str) -> TagRef:
    return TagRef(VENDOR, "balance", customer_id)


def segments_tag(customer_id: str) -> TagRef:
    return TagRef(VENDOR, "segments", customer_id)


def events_tag(customer_id: str) -> TagRef:
    return TagRef(VENDOR, "events", customer_id)


def transactions_tag(customer_id: str) -> TagRef:
    return TagRef(VENDOR, "transactions", customer_id)


def search_tag() -> TagRef:
    """Any customer write drops every cached search page."""
    return TagRef(VENDOR, "search", ALL)


def _by_customer_id(customer_id: str) -> dict[str, object]:
    return {"customerId": customer_id}


async def _segments(clients: TenantClients, customer_id: str) -> list[SegmentMembership]:
    return [m async for m in clients.tallymarks.iter_segments(customer_id)]


CUSTOMER: VendorRead[str, Customer | None] = VendorRead(
    vendor=VENDOR,
    operation="getCustomer",
    call=lambda clients, customer_id: clients.tallymarks.get_customer(customer_id),
    cache_args=_by_customer_id,
    not_found=lambda: None,
    kind="customer",
    ttl=60,
    tags=lambda customer_id: (profile_tag(customer_id),),
    cost="tallymarks.customer",
    # the existence check of ``customer(id:)`` reads the profile: nothing to prefetch
    fields={
        "Query.node": not_prefetched,
        "Query.customer": not_prefetched,
        "Customer.firstName": not_prefetched,
        "Customer.lastName": not_prefetched,
        "Customer.displayName": not_prefetched,
        "Customer.email": not_prefetched,
        "Customer.createdAt": not_prefetched,
        "Customer.loyaltyProfile": not_prefetched,
    },
)

BALANCE: VendorRead[str, Balance | None] = VendorRead(
    vendor=VENDOR,
    operation="getBalance",
    call=lambda clients, customer_id: clients.tallymarks.get_balance(customer_id),
    cache_args=_by_customer_id,
    not_found=lambda: None,
    kind="balance",
    ttl=15,
    tags=lambda customer_id: (balance_tag(customer_id),),
    cost="tallymarks.balance",
    fields={
        "Customer.pointsBalance": by_parent_id,
        # the connection's parent is the customer (``transactions { balance }``)
        "TransactionConnection.balance": by_parent_id,
    },
)

SEGMENTS: VendorRead[str, list[SegmentMembership]] = VendorRead(
    vendor=VENDOR,
    operation="getSegments",
    call=_segments,  # every page, cached as one list
    cache_args=_by_customer_id,
    not_found=list,
    kind="segments",
    ttl=60,
    tags=lambda customer_id: (segments_tag(customer_id),),
    cost="tallymarks.segments",
    fields={
        "Customer.loyaltySegments": by_parent_id,
        "Customer.segments": lambda cid, args: cid if args.get("sources") is None else None,
    },
)

TRANSACTIONS: VendorRead[HistoryPageQuery, TransactionPage] = VendorRead(
    vendor=VENDOR,
    operation="searchTransactions",
    call=lambda clients, q: clients.tallymarks.search_transactions(**q.client_args()),
    cache_args=HistoryPageQuery.cache_args,
    not_found=None,
    kind="transactions",
    ttl=30,
    tags=lambda q: (transactions_tag(q.customer_id),),
    cost="tallymarks.transactions",
    fields={"Customer.transactions": not_prefetched},  # keyed by a page cursor
)

EVENTS: VendorRead[HistoryPageQuery, EventPage] = VendorRead(
    vendor=VENDOR,
    operation="searchEvents",
    call=lambda clients, q: clients.tallymarks.search_events(**q.client_args()),
    cache_args=HistoryPageQuery.cache_args,
    not_found=None,
    kind="events",
    ttl=30,
    tags=lambda q: (events_tag(q.customer_id),),
    cost="tallymarks.events",
    fields={"Customer.events": not_prefetched, "Customer.activity": not_prefetched},
)

CUSTOMER_SEARCH: VendorRead[CustomerSearchPageQuery, CustomerPage] = VendorRead(
    vendor=VENDOR,
    operation="searchCustomers",
    call=lambda clients, q: clients.tallymarks.search_customers(
        q.keyword, limit=q.limit, offset_key=q.offset_key
    ),
    cache_args=lambda q: {"keyword": q.keyword, "limit": q.limit, "offsetKey": q.offset_key},
    not_found=None,
    kind="search",
    ttl=15,
    tags=lambda q: (search_tag(),),
    cost="tallymarks.search",
    fields={
        "Query.customers": not_prefetched,
        "Query.customerByEmail": not_prefetched,
        "Query.customerByExternalReference": not_prefetched,
    },
)

READS = (CUSTOMER, BALANCE, SEGMENTS, TRANSACTIONS, EVENTS, CUSTOMER_SEARCH)

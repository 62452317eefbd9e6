"""Tallymarks reads, each declared once (see :class:`vendors.reads.VendorRead`).

Tallymarks has no bulk read: a batch of keys fans out one call per key.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, TypeVar

from vendors.reads import (
    FieldKey,
    VendorRead,
    VendorReads,
    by_parent_id,
    loaded_when_run,
    none_when_missing,
)
from vendors.tallymarks.models import (
    Balance,
    Customer,
    CustomerPage,
    EventPage,
    SegmentMembership,
    TransactionPage,
)

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Mapping

    from vendors.reads import TagKind, TagRef
    from vendors.tallymarks.client import HistoryFilters, TallymarksClient
    from vendors.tenant_clients import TenantClients

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
_tallymarks = VendorReads(VENDOR)
V = TypeVar("V")


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

    def client_args(self) -> HistoryFilters:
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


# tags: what writes invalidate (resolvers.cache_tags names them for the write side); a
# customer's resource also names its reads' cache kind and cost

profile_tag, balance_tag, segments_tag, events_tag, transactions_tag = map(
    _tallymarks.tag, ("customer", "balance", "segments", "events", "transactions")
)
#: any customer write drops every cached search page
search_tag = _tallymarks.tenant_wide("search")


def _of_customer(
    resource: TagKind,
    operation: str,
    call: Callable[[TenantClients, str], Awaitable[V]],
    *,
    ttl: float,
    fields: Mapping[str, FieldKey[str]],
    not_found: Callable[[], V] | None,
) -> VendorRead[str, V]:
    """A read of one customer's resource, keyed by their canonical id (a 404 says Tallymarks
    does not know the customer: what the read answers then is ``not_found``)."""
    return _tallymarks.keyed(
        operation,
        call,
        by="customerId",
        stored_under=resource,
        not_found=not_found,
        ttl=ttl,
        fields=fields,
    )


def _history(
    resource: TagKind,
    operation: str,
    search: Callable[[TallymarksClient], Callable[..., Awaitable[V]]],
    fields: Mapping[str, FieldKey[HistoryPageQuery]],
) -> VendorRead[HistoryPageQuery, V]:
    """A page of one customer's history (events or transactions): the two searches take
    the same filters, are cached as long and invalidated by the customer's events."""

    def call(clients: TenantClients, q: HistoryPageQuery) -> Awaitable[V]:
        return search(clients.tallymarks)(**q.client_args())

    def tags(q: HistoryPageQuery) -> tuple[TagRef]:
        return (resource(q.customer_id),)

    kind, cost = resource.resource, f"{VENDOR}.{resource.resource}"
    cache_args = HistoryPageQuery.cache_args
    return VendorRead(VENDOR, operation, call, cache_args, None, kind, 30, tags, cost, fields)


async def _segments(clients: TenantClients, customer_id: str) -> list[SegmentMembership]:
    return [m async for m in clients.tallymarks.iter_segments(customer_id)]


CUSTOMER: VendorRead[str, Customer | None] = _of_customer(
    profile_tag,
    "getCustomer",
    lambda clients, customer_id: clients.tallymarks.get_customer(customer_id),
    ttl=60,
    # the existence check of ``customer(id:)`` reads the profile: nothing to prefetch
    fields=loaded_when_run(
        "Query.node",
        "Query.customer",
        "Customer.firstName",
        "Customer.lastName",
        "Customer.displayName",
        "Customer.email",
        "Customer.createdAt",
        "Customer.loyaltyProfile",
    ),
    not_found=none_when_missing,
)

BALANCE: VendorRead[str, Balance | None] = _of_customer(
    balance_tag,
    "getBalance",
    lambda clients, customer_id: clients.tallymarks.get_balance(customer_id),
    ttl=15,
    fields={
        "Customer.pointsBalance": by_parent_id,
        # the connection's parent is the customer (``transactions { balance }``)
        "TransactionConnection.balance": by_parent_id,
    },
    not_found=none_when_missing,
)

SEGMENTS: VendorRead[str, list[SegmentMembership]] = _of_customer(
    segments_tag,
    "getSegments",
    _segments,  # every page, cached as one list
    not_found=list,
    ttl=60,
    fields={
        "Customer.loyaltySegments": by_parent_id,
        "Customer.segments": lambda cid, args: cid if args.get("sources") is None else None,
    },
)

TRANSACTIONS: VendorRead[HistoryPageQuery, TransactionPage] = _history(
    transactions_tag,
    "searchTransactions",
    lambda tallymarks: tallymarks.search_transactions,
    loaded_when_run("Customer.transactions"),  # keyed by a page cursor
)

EVENTS: VendorRead[HistoryPageQuery, EventPage] = _history(
    events_tag,
    "searchEvents",
    lambda tallymarks: tallymarks.search_events,
    loaded_when_run("Customer.events", "Customer.activity"),
)

CUSTOMER_SEARCH: VendorRead[CustomerSearchPageQuery, CustomerPage] = VendorRead(
    VENDOR,
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
    fields=loaded_when_run(
        "Query.customers", "Query.customerByEmail", "Query.customerByExternalReference"
    ),
)

READS = (CUSTOMER, BALANCE, SEGMENTS, TRANSACTIONS, EVENTS, CUSTOMER_SEARCH)

"""Omnidesk reads, each declared once (see :class:`vendors.reads.VendorRead`).

The identity rule: a customer's Omnidesk record is the one whose ``external_primary_id`` is
the canonical customer id in the tenant's brand (``OmnideskConfig.brand_id``). Omnidesk has
no bulk read: a batch of keys fans out one call per key.

The customer index is the account's, not the brand's: it takes no brand, and its items name
their brand only by ``brand_name``.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, NamedTuple

from vendors.omnidesk.models import Customer, CustomerPage, TimelineEntry
from vendors.omnidesk.validation import MAX_ITEM_LIMIT
from vendors.reads import (
    VendorRead,
    VendorReads,
    by_parent_id,
    loaded_when_run,
    none_when_missing,
    not_prefetched,
)

if TYPE_CHECKING:
    from vendors.tenant_clients import TenantClients

__all__ = [
    "CHANNEL_SEARCH",
    "CUSTOMER_INDEX",
    "READS",
    "SUPPORT_CUSTOMER",
    "SUPPORT_CUSTOMER_BY_ID",
    "TIMELINE",
    "IndexPageKey",
    "TimelineKey",
    "customer_tag",
    "search_tag",
    "timeline_tag",
]

VENDOR = "omnidesk"
_omnidesk = VendorReads(VENDOR)

#: (canonical customer id, include tickets)
TimelineKey = tuple[str, bool]


class IndexPageKey(NamedTuple):
    """One page of the customer index: ``itemStart`` (0-based) and ``itemLimit`` (≤ 99)."""

    item_start: int
    item_limit: int


customer_tag = _omnidesk.tag("customer")
timeline_tag = _omnidesk.tag("timeline")
#: any customer write drops every read not keyed by the canonical id
search_tag = _omnidesk.tenant_wide("search")


async def _in_brand(clients: TenantClients, support_id: int) -> Customer | None:
    """Another brand's ``external_primary_id`` is not a canonical id: not ours."""
    found = await clients.omnidesk.get_customer(support_id)
    return found if found.brand_id in (None, clients.omnidesk.brand_id) else None


async def _timeline(clients: TenantClients, key: TimelineKey) -> list[TimelineEntry] | None:
    customer_id, include_tickets = key
    timeline = await clients.omnidesk.get_timeline(customer_id, include_tickets=include_tickets)
    return timeline.items


#: the reads of one support customer: one cache kind, one TTL, one cost
_support_customer = partial(
    _omnidesk.keyed, kind="support_customer", ttl=60, cost=f"{VENDOR}.customer"
)

SUPPORT_CUSTOMER: VendorRead[str, Customer | None] = _support_customer(
    "searchByPrimaryExternalId",
    # ``None`` when the support desk does not know them
    lambda clients, customer_id: clients.omnidesk.search_by_primary_external_id(customer_id),
    by="primaryId",
    stored_under=customer_tag,
    not_found=None,
    fields={"Customer.supportProfile": by_parent_id, "Customer.timeline": not_prefetched},
)

SUPPORT_CUSTOMER_BY_ID: VendorRead[int, Customer | None] = _support_customer(
    "getCustomer",
    _in_brand,
    by="id",
    # a write names the canonical id, not this one: any customer write drops it
    stored_under=search_tag,
    not_found=none_when_missing,
    fields=loaded_when_run("Query.customerBySupportId"),
)

CHANNEL_SEARCH: VendorRead[str, list[Customer]] = _omnidesk.keyed(
    "searchByCustomerChannelValue",
    lambda clients, value: clients.omnidesk.search_by_customer_channel_value(value),
    by="value",
    stored_under=search_tag,
    not_found=None,
    cost="omnidesk.channel",
    ttl=15,
    fields=loaded_when_run("Query.customersByChannel"),
)

TIMELINE: VendorRead[TimelineKey, list[TimelineEntry] | None] = VendorRead(
    VENDOR,
    operation="timeline",
    call=_timeline,
    cache_args=lambda key: {"externalId": key[0], "tickets": key[1]},
    not_found=none_when_missing,
    kind="timeline",
    ttl=30,
    tags=lambda key: (timeline_tag(key[0]),),
    cost="omnidesk.timeline",
    fields={
        "Customer.timeline": lambda cid, args: (
            cid,
            args.get("includeTickets", False) in (True, "true"),
        )
    },
)

CUSTOMER_INDEX: VendorRead[IndexPageKey, CustomerPage] = VendorRead(
    VENDOR,
    operation="customerIndex",
    call=lambda clients, key: clients.omnidesk.list_customers(
        item_start=key.item_start, item_limit=key.item_limit
    ),
    cache_args=lambda key: {"itemStart": key.item_start, "itemLimit": key.item_limit},
    not_found=None,
    kind="search",
    ttl=15,
    # a created, changed or erased customer moves every page and the total
    tags=lambda key: (search_tag(),),
    cost="omnidesk.index",
    fields=loaded_when_run("Query.supportCustomers"),
    items_per_call=MAX_ITEM_LIMIT,  # ``itemLimit`` ≤ 99, where a page may hold 100
)

READS = (SUPPORT_CUSTOMER, SUPPORT_CUSTOMER_BY_ID, CHANNEL_SEARCH, TIMELINE, CUSTOMER_INDEX)

"""Omnidesk reads, each declared once (see :class:`gateway.vendors.reads.VendorRead`).

The identity rule: a customer's Omnidesk record is the one whose ``external_primary_id`` is
the canonical customer id in the tenant's brand (``OmnideskConfig.brand_id``). Omnidesk has
no bulk read: a batch of keys fans out one call per key.

The customer index is the account's, not the brand's: it takes no brand, and its items name
their brand only by ``brand_name``.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, NamedTuple

from gateway.vendors.omnidesk.models import Customer, CustomerPage, TimelineEntry
from gateway.vendors.reads import (
    ALL,
    TagKind,
    TagRef,
    VendorRead,
    by_parent_id,
    keyed_as,
    none_when_missing,
    not_prefetched,
    tagged,
)

if TYPE_CHECKING:
    from gateway.vendors.tenant_clients import TenantClients

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
#: a read of this vendor (each declaration states the rest)
_read = partial(VendorRead, VENDOR)

#: (canonical customer id, include tickets)
TimelineKey = tuple[str, bool]


class IndexPageKey(NamedTuple):
    """One page of the customer index: ``itemStart`` (0-based) and ``itemLimit`` (≤ 99)."""

    item_start: int
    item_limit: int


customer_tag = TagKind(VENDOR, "customer")
timeline_tag = TagKind(VENDOR, "timeline")


def search_tag() -> TagRef:
    """Any customer write drops every read not keyed by the canonical id."""
    return TagRef(VENDOR, "search", ALL)


async def _in_brand(clients: TenantClients, support_id: int) -> Customer | None:
    """Another brand's ``external_primary_id`` is not a canonical id: not ours."""
    found = await clients.omnidesk.get_customer(support_id)
    return found if found.brand_id in (None, clients.omnidesk.brand_id) else None


async def _timeline(clients: TenantClients, key: TimelineKey) -> list[TimelineEntry] | None:
    customer_id, include_tickets = key
    timeline = await clients.omnidesk.get_timeline(customer_id, include_tickets=include_tickets)
    return timeline.items


SUPPORT_CUSTOMER: VendorRead[str, Customer | None] = _read(
    operation="searchByPrimaryExternalId",
    # ``None`` when the support desk does not know them
    call=lambda clients, customer_id: clients.omnidesk.search_by_primary_external_id(customer_id),
    cache_args=keyed_as("primaryId"),
    not_found=None,
    kind="support_customer",
    ttl=60,
    tags=tagged(customer_tag),
    cost="omnidesk.customer",
    fields={"Customer.supportProfile": by_parent_id, "Customer.timeline": not_prefetched},
)

SUPPORT_CUSTOMER_BY_ID: VendorRead[int, Customer | None] = _read(
    operation="getCustomer",
    call=_in_brand,
    cache_args=keyed_as("id"),
    not_found=none_when_missing,
    kind="support_customer",
    ttl=60,
    # a write names the canonical id, not this one: any customer write drops it
    tags=lambda support_id: (search_tag(),),
    cost="omnidesk.customer",
    fields={"Query.customerBySupportId": not_prefetched},
)

CHANNEL_SEARCH: VendorRead[str, list[Customer]] = _read(
    operation="searchByCustomerChannelValue",
    call=lambda clients, value: clients.omnidesk.search_by_customer_channel_value(value),
    cache_args=keyed_as("value"),
    not_found=None,
    kind="search",
    ttl=15,
    tags=lambda value: (search_tag(),),
    cost="omnidesk.channel",
    fields={"Query.customersByChannel": not_prefetched},
)

TIMELINE: VendorRead[TimelineKey, list[TimelineEntry] | None] = _read(
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

CUSTOMER_INDEX: VendorRead[IndexPageKey, CustomerPage] = _read(
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
    fields={"Query.supportCustomers": not_prefetched},
)

READS = (SUPPORT_CUSTOMER, SUPPORT_CUSTOMER_BY_ID, CHANNEL_SEARCH, TIMELINE, CUSTOMER_INDEX)

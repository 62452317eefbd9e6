"""Omnidesk reads, each declared once (see :class:`gateway.vendors.reads.VendorRead`).

The identity rule: a customer's Omnidesk record is the one whose ``external_primary_id`` is
the canonical customer id in the tenant's brand (``OmnideskConfig.brand_id``). Omnidesk has
no bulk read: a batch of keys fans out one call per key.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from gateway.vendors.omnidesk.models import Customer, TimelineEntry
from gateway.vendors.reads import ALL, TagRef, VendorRead, by_parent_id, not_prefetched

if TYPE_CHECKING:
    from gateway.vendors.clients import TenantClients

__all__ = [
    "CHANNEL_SEARCH",
    "READS",
    "SUPPORT_CUSTOMER",
    "SUPPORT_CUSTOMER_BY_ID",
    "TIMELINE",
    "TimelineKey",
    "customer_tag",
    "search_tag",
    "timeline_tag",
]

VENDOR = "omnidesk"

#: (canonical customer id, include tickets)
TimelineKey = tuple[str, bool]


def customer_tag(customer_id: str) -> TagRef:
    return TagRef(VENDOR, "customer", customer_id)


def timeline_tag(customer_id: str) -> TagRef:
    return TagRef(VENDOR, "timeline", customer_id)


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


SUPPORT_CUSTOMER: VendorRead[str, Customer | None] = VendorRead(
    vendor=VENDOR,
    operation="searchByPrimaryExternalId",
    # ``None`` when the support desk does not know them
    call=lambda clients, customer_id: clients.omnidesk.search_by_primary_external_id(customer_id),
    cache_args=lambda customer_id: {"primaryId": customer_id},
    not_found=None,
    kind="support_customer",
    ttl=60,
    tags=lambda customer_id: (customer_tag(customer_id),),
    cost="omnidesk.customer",
    fields={"Customer.supportProfile": by_parent_id, "Customer.timeline": not_prefetched},
)

SUPPORT_CUSTOMER_BY_ID: VendorRead[int, Customer | None] = VendorRead(
    vendor=VENDOR,
    operation="getCustomer",
    call=_in_brand,
    cache_args=lambda support_id: {"id": support_id},
    not_found=lambda: None,
    kind="support_customer",
    ttl=60,
    # a write names the canonical id, not this one: any customer write drops it
    tags=lambda support_id: (search_tag(),),
    cost="omnidesk.customer",
    fields={"Query.customerBySupportId": not_prefetched},
)

CHANNEL_SEARCH: VendorRead[str, list[Customer]] = VendorRead(
    vendor=VENDOR,
    operation="searchByCustomerChannelValue",
    call=lambda clients, value: clients.omnidesk.search_by_customer_channel_value(value),
    cache_args=lambda value: {"value": value},
    not_found=None,
    kind="search",
    ttl=15,
    tags=lambda value: (search_tag(),),
    cost="omnidesk.channel",
    fields={"Query.customersByChannel": not_prefetched},
)

TIMELINE: VendorRead[TimelineKey, list[TimelineEntry] | None] = VendorRead(
    vendor=VENDOR,
    operation="timeline",
    call=_timeline,
    cache_args=lambda key: {"externalId": key[0], "tickets": key[1]},
    not_found=lambda: None,
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

READS = (SUPPORT_CUSTOMER, SUPPORT_CUSTOMER_BY_ID, CHANNEL_SEARCH, TIMELINE)

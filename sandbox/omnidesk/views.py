"""The JSON shapes the vendor answers with: list, item and result envelopes.

See docs/vendors/omnidesk.md §3.1.
"""

from __future__ import annotations

from typing import Any

from sandbox.omnidesk.options import OmnideskSandboxOptions
from sandbox.omnidesk.store import Account, Channel, Customer, Ticket, TimelineEntry, timestamp


def channel_view(channel: Channel, options: OmnideskSandboxOptions) -> dict[str, Any]:
    return {
        "id": channel.id,
        "channel_id": channel.type_id,
        "channel_name": options.channel_types.get(channel.type_id, str(channel.type_id)),
        "address": channel.address,
    }


def customer_summary(
    customer: Customer, account: Account, options: OmnideskSandboxOptions
) -> dict[str, Any]:
    """An index item: exactly the documented keys."""
    return {
        "id": customer.id,
        "external_primary_id": customer.external_primary_id,
        "brand_name": account.brands[customer.brand_id].name,
        "firstname": customer.firstname,
        "lastname": customer.lastname,
        "channels": [channel_view(c, options) for c in customer.channels],
    }


def customer_detail(
    customer: Customer, account: Account, options: OmnideskSandboxOptions
) -> dict[str, Any]:
    """An item: the index keys plus ``brand_id`` and the custom fields (map or flat)."""
    view = customer_summary(customer, account, options)
    view["brand_id"] = customer.brand_id
    if options.custom_fields_style == "map":
        view["custom_fields"] = dict(customer.custom_fields)
    else:
        view.update({f"custom_{k}": v for k, v in customer.custom_fields.items()})
    return view


def item_envelope(item: dict[str, Any]) -> dict[str, Any]:
    return {"type": "item", "item": item}


def list_envelope(
    items: list[dict[str, Any]],
    *,
    item_start: int,
    item_total: int,
    item_limit: int,
    options: OmnideskSandboxOptions,
) -> dict[str, Any]:
    return {
        "type": options.list_type,
        "itemStart": item_start,
        "itemTotal": item_total,
        "itemLimit": item_limit,
        "items": items,
    }


def result(message: str, **extra: Any) -> dict[str, Any]:
    return {"type": "result", "message": message, **extra}


def event_view(entry: TimelineEntry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "type": entry.type,
        "message": entry.message,
        "initiated_by": entry.initiated_by,
        "source_url": entry.source_url,
        "created": timestamp(entry.created),
    }


def ticket_view(ticket: Ticket) -> dict[str, Any]:
    return {
        "id": ticket.id,
        "type": "ticket",
        "ticket_id": ticket.id,
        "message": ticket.subject,
        "status": ticket.status,
        "initiated_by": ticket.contact_address,
        "source_url": None,
        "created": timestamp(ticket.created),
    }


def timeline_view(
    account: Account, customer: Customer, *, with_tickets: bool, newest_first: bool
) -> list[dict[str, Any]]:
    entries = [(e.created, event_view(e)) for e in account.timeline.get(customer.id, [])]
    if with_tickets:
        entries += [
            (t.created, ticket_view(t))
            for t in account.tickets.values()
            if t.customer_id == customer.id
        ]
    entries.sort(key=lambda pair: (pair[0], pair[1]["type"], pair[1]["id"]), reverse=newest_first)
    return [view for _, view in entries]

"""The customer timeline: read it by external id, add external events.

See docs/vendors/omnidesk.md §6.13, §6.14.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends

from sandbox.omnidesk import docs
from sandbox.omnidesk.context import Ctx, cud_ctx, read_ctx
from sandbox.omnidesk.validation import URL_PATTERN
from sandbox.omnidesk.views import result, timeline_view

EVENT_ADDED = "Event added."

router = APIRouter(prefix="/api/v2/customer", tags=["customer"])


@router.get(
    "/timelineByCustomerExternalID",
    summary="GET timelineByCustomerExternalID",
    openapi_extra=docs.query("brand_id", "external_id", "getTicketHistory"),
)
async def timeline_by_customer_external_id(ctx: Ctx = Depends(read_ctx)) -> dict[str, Any]:
    """The customer's timeline; ``getTicketHistory`` (any value) adds its tickets."""
    p = ctx.params
    brand_id = p.required_number("brand_id")
    external_id = p.required("external_id")
    with_tickets = p.present("getTicketHistory")
    with ctx.store.lock:
        customer = ctx.rules.customer_by_primary(brand_id, external_id)
        items = timeline_view(
            ctx.account,
            customer,
            with_tickets=with_tickets,
            newest_first=ctx.options.timeline_newest_first,
        )
    return {"type": "items", "items": items}


@router.post(
    "/externalEvent",
    summary="POST externalEvent",
    openapi_extra=docs.form(
        "customer_id", "external_id", "brand_id", "initiated_by", "message", "source_url"
    ),
)
async def external_event(ctx: Ctx = Depends(cud_ctx)) -> dict[str, Any]:
    """Add an event (an order, a marketing mail …) to a customer's timeline."""
    p = ctx.params
    customer_id, brand_id = p.number("customer_id"), p.number("brand_id")
    external_id = p.text("external_id") or None
    message = p.required("message")
    initiated_by = p.text("initiated_by") or ""
    source_url = p.patterned("source_url", URL_PATTERN) or None
    with ctx.store.lock:
        customer = ctx.rules.locate(
            customer_id, external_id, brand_id, fields=("customer_id", "external_id", "brand_id")
        )
        entry = ctx.rules.add_event(customer, message, initiated_by, source_url)
    return result(EVENT_ADDED, id=entry.id)

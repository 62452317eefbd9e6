"""syncWithCRM: look the address up in the brand's CRM and apply the first record.

See docs/vendors/omnidesk.md §6.15.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request

from sandbox.omnidesk import docs
from sandbox.omnidesk.context import Ctx, cud_ctx
from sandbox.omnidesk.crm import (
    CHANNEL_ADDRESS_TYPES,
    STUB_SCHEME,
    CrmLookupError,
    CrmRecord,
    StubCrm,
    fetch_crm,
    record_custom_fields,
)
from sandbox.omnidesk.errors import OmnideskError, field_error
from sandbox.omnidesk.store import Brand, Customer
from sandbox.omnidesk.validation import EMAIL_PATTERN, TELEPHONE_PATTERN
from sandbox.omnidesk.views import result

NO_CRM = "No CRM lookup URL is configured for this brand."
CRM_FAILED = "The CRM lookup failed."
SYNCED = "Customer synchronized with CRM."
NO_MATCH = "No customer found in the CRM."

router = APIRouter(prefix="/api/v2/customer", tags=["customer"])


@router.post(
    "/syncWithCRM",
    summary="POST syncWithCRM",
    openapi_extra=docs.form("brandID", "channel", "address"),
)
async def sync_with_crm(request: Request, ctx: Ctx = Depends(cud_ctx)) -> dict[str, Any]:
    """Synchronise the customer at this address with the brand's CRM, if one is configured."""
    p = ctx.params
    brand_id = p.required_number("brandID")
    channel = p.required("channel")
    if channel not in CHANNEL_ADDRESS_TYPES:
        raise field_error("channel", "must be phoneNumber or email.")
    pattern = TELEPHONE_PATTERN if channel == "phoneNumber" else EMAIL_PATTERN
    address = p.patterned("address", pattern, required=True) or ""
    with ctx.store.lock:
        brand = ctx.rules.brand(brand_id)
        crm_url = brand.crm_url
    if not crm_url:
        raise OmnideskError(NO_CRM)
    records = await _lookup(request, ctx, brand, crm_url, channel, address)
    if not records:
        return result(NO_MATCH)
    with ctx.store.lock:
        customer = _apply(ctx, brand, channel, address, records[0])
    return result(SYNCED, id=customer.id)


async def _lookup(
    request: Request, ctx: Ctx, brand: Brand, crm_url: str, channel: str, address: str
) -> list[CrmRecord]:
    if crm_url.startswith(STUB_SCHEME):
        stub: StubCrm = request.app.state.crm
        return stub.lookup(brand.id, channel, address)
    try:
        return await fetch_crm(crm_url, channel, address, timeout_s=ctx.options.crm_timeout_seconds)
    except CrmLookupError:
        raise OmnideskError(CRM_FAILED, ctx.options.crm_failure_status) from None


def _apply(ctx: Ctx, brand: Brand, channel: str, address: str, record: CrmRecord) -> Customer:
    """Upsert the record: find by primary id, then by address; link the address."""
    rules = ctx.rules
    primary_id = str(record["primaryID"]) if record.get("primaryID") else None
    customer = ctx.account.customer_by_primary(brand.id, primary_id) if primary_id else None
    if customer is None:
        matches = rules.by_channel_value(brand, address)
        customer = matches[0] if matches else None
    if customer is None:
        customer, _ = rules.create(brand, primary_id, addresses=[address])
    else:
        rules.ensure_addresses_free(brand.id, [address], customer)
        if primary_id is not None:
            rules.set_primary_id(customer, primary_id)
    rules.update(
        customer,
        firstname=_text(record.get("firstname")),
        lastname=_text(record.get("lastname")),
        custom=record_custom_fields(record, ctx.options.custom_field_names),
    )
    kind = "telephone" if channel == "phoneNumber" else "email"
    type_id = ctx.options.channel_type_id(kind)
    if type_id is not None:
        rules.link_channel(customer, type_id, address, sync=True)
    return customer


def _text(value: object) -> str | None:
    return None if value is None else str(value)

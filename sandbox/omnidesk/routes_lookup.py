"""Customer searches: by external primary id and by channel value.

See docs/vendors/omnidesk.md §6.7, §6.8.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends

from sandbox.omnidesk import docs
from sandbox.omnidesk.context import Ctx, read_ctx
from sandbox.omnidesk.rules import CUSTOMER_NOT_FOUND
from sandbox.omnidesk.views import customer_detail, item_envelope, list_envelope

router = APIRouter(prefix="/api/v2/customer", tags=["customer"])


@router.post(
    "/SearchByPrimaryExternalID",
    summary="POST searchByPrimaryExternalId",
    openapi_extra=docs.form("primary_id", "brand_id"),
)
async def search_by_primary_external_id(ctx: Ctx = Depends(read_ctx)) -> dict[str, Any]:
    """The brand's customer with this external primary id (ids are unique per brand)."""
    p, options = ctx.params, ctx.options
    primary_id = p.required("primary_id")
    brand_id = p.required_number("brand_id")
    with ctx.store.lock:
        ctx.rules.brand(brand_id)
        customer = ctx.account.customer_by_primary(brand_id, primary_id)
        if options.search_by_primary_id_shape == "items":
            found = [customer_detail(customer, ctx.account, options)] if customer else []
            return list_envelope(
                found, item_start=0, item_total=len(found), item_limit=1, options=options
            )
        if customer is None:
            raise ctx.rules.not_found(CUSTOMER_NOT_FOUND)
        return item_envelope(customer_detail(customer, ctx.account, options))


@router.post(
    "/SearchByCustomerChannelValue",
    summary="POST SearchByCustomerChannelValue",
    openapi_extra=docs.form("customerChannelValue", "brand_id"),
)
async def search_by_customer_channel_value(ctx: Ctx = Depends(read_ctx)) -> dict[str, Any]:
    """Every customer of the brand with a channel at this address (email, phone, social)."""
    p, options = ctx.params, ctx.options
    value = p.required("customerChannelValue")
    brand_id = p.required_number("brand_id")
    with ctx.store.lock:
        brand = ctx.rules.brand(brand_id)
        found = sorted(ctx.rules.by_channel_value(brand, value), key=lambda c: c.id)
        items = [customer_detail(c, ctx.account, options) for c in found]
    return list_envelope(
        items, item_start=0, item_total=len(items), item_limit=len(items), options=options
    )

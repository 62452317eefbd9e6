"""The CRUD-style customer endpoints (docs/vendors/omnidesk.md §6.9 to §6.12, §6.16).

addChannelOnly, updateCustomer, createCustomerCRUD, DELETE itemChannel (path and parameter
forms) and DELETE itemPurgeData (``/purgeData`` and ``/{id}/purgeData``).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends

from sandbox.omnidesk import docs
from sandbox.omnidesk.context import Ctx, cud_ctx
from sandbox.omnidesk.errors import OmnideskError
from sandbox.omnidesk.steps import (
    CUSTOMER_UPDATED,
    apply_changes,
    channel_pairs,
    created_result,
    custom_fields,
    path_id,
)
from sandbox.omnidesk.validation import SOCIAL_PATTERN
from sandbox.omnidesk.views import result

CHANNEL_ADDED = "Channel added."
NO_CHANNEL = "No channel given: send extra_email, extra_telephone, extra_twitter or extra_facebook."
CHANNEL_DELETED = "Channel deleted."
CUSTOMER_CREATED = "Customer created."
DATA_PURGED = "Customer data purged."

router = APIRouter(prefix="/api/v2/customer", tags=["customer"])


@router.post(
    "/addChannelOnly",
    summary="POST addChannelOnly",
    openapi_extra=docs.form(
        "customer_id",
        "primary_id",
        "brand_id",
        "extra_email",
        "extra_telephone",
        "extra_twitter",
        "extra_facebook",
        "noSync",
    ),
)
async def add_channel_only(ctx: Ctx = Depends(cud_ctx)) -> dict[str, Any]:
    """Add channels to a customer without changing anything else."""
    p, rules, options = ctx.params, ctx.rules, ctx.options
    customer_id, brand_id = p.number("customer_id"), p.number("brand_id")
    primary_id = p.text("primary_id") or None
    wanted = {
        "email": p.email("extra_email"),
        "telephone": p.telephone("extra_telephone"),
        "twitter": p.patterned("extra_twitter", SOCIAL_PATTERN) or None,
        "facebook": p.patterned("extra_facebook", SOCIAL_PATTERN) or None,
    }
    links = [
        (type_id, address)
        for kind, address in wanted.items()
        if address is not None and (type_id := options.channel_type_id(kind)) is not None
    ]
    if not links:
        raise OmnideskError(NO_CHANNEL)
    sync = not p.flag("noSync")
    with ctx.store.lock:
        customer = rules.locate(
            customer_id, primary_id, brand_id, fields=("customer_id", "primary_id", "brand_id")
        )
        rules.ensure_addresses_free(customer.brand_id, [a for _, a in links], customer)
        for type_id, address in links:
            rules.link_channel(customer, type_id, address, sync=sync)
    return result(CHANNEL_ADDED)


@router.put(
    "/updateCustomer",
    summary="PUT updateCustomer",
    openapi_extra=docs.form(
        "externalPrimaryID",
        "brandID",
        "firstname",
        "lastname",
        put=True,
        notes=(docs.CUSTOM_FIELD_NOTE, docs.CHANNEL_PAIR_NOTE),
    ),
)
async def update_customer(ctx: Ctx = Depends(cud_ctx)) -> dict[str, Any]:
    """Update a customer found by external primary id; fields not sent stay unchanged."""
    p = ctx.params
    primary_id = p.required("externalPrimaryID")
    brand_id = p.required_number("brandID")
    firstname, lastname = p.name("firstname"), p.name("lastname")
    custom = custom_fields(ctx)
    with ctx.store.lock:
        customer = ctx.rules.customer_by_primary(brand_id, primary_id)
        apply_changes(ctx, customer, firstname, lastname, custom)
    return result(CUSTOMER_UPDATED)


@router.post(
    "/createCustomerCRUD",
    summary="POST createCustomerCRUD",
    openapi_extra=docs.form(
        "primaryID",
        "brandID",
        "firstname",
        "lastname",
        notes=(docs.CUSTOM_FIELD_NOTE, docs.CHANNEL_PAIR_NOTE),
    ),
)
async def create_customer_crud(ctx: Ctx = Depends(cud_ctx)) -> dict[str, Any]:
    """Create a customer with the CRUD-style field names (primaryID, brandID, pairs)."""
    p = ctx.params
    primary_id = p.required("primaryID")
    brand_id = p.required_number("brandID")
    firstname, lastname = p.name("firstname"), p.name("lastname")
    custom = custom_fields(ctx)
    pairs = channel_pairs(ctx)
    with ctx.store.lock:
        brand = ctx.rules.brand(brand_id)
        addresses = [a for _, a in pairs]
        customer, created = ctx.rules.create(brand, primary_id, addresses=addresses)
        ctx.rules.update(customer, firstname=firstname, lastname=lastname, custom=custom)
        for type_id, address in pairs:
            ctx.rules.link_channel(customer, type_id, address, sync=True)
    return created_result(ctx, customer, created, CUSTOMER_CREATED)


@router.delete("/{id}/channel/{channelId}", summary="DELETE itemChannel")
async def delete_item_channel(
    id: str, channelId: str, ctx: Ctx = Depends(cud_ctx)
) -> dict[str, Any]:
    """Unlink one channel (by its own id) from a customer."""
    with ctx.store.lock:
        ctx.rules.remove_channel(ctx.rules.customer(path_id(id)), path_id(channelId))
    return result(CHANNEL_DELETED)


@router.delete(
    "/{id}/channel",
    summary="DELETE itemChannel (channelID parameter)",
    openapi_extra=docs.both("channelID"),
)
async def delete_item_channel_param(id: str, ctx: Ctx = Depends(cud_ctx)) -> dict[str, Any]:
    """The same, with the channel id as the ``channelID`` parameter (query or body)."""
    channel_id = ctx.params.required_number("channelID")
    with ctx.store.lock:
        ctx.rules.remove_channel(ctx.rules.customer(path_id(id)), channel_id)
    return result(CHANNEL_DELETED)


@router.delete(
    "/purgeData",
    summary="DELETE itemPurgeData",
    openapi_extra=docs.both("customer_id", "primary_id", "brand_id"),
)
async def purge_data(ctx: Ctx = Depends(cud_ctx)) -> dict[str, Any]:
    """Purge everything linked to a customer (by customer_id, or primary_id + brand_id)."""
    p = ctx.params
    customer_id, brand_id = p.number("customer_id"), p.number("brand_id")
    primary_id = p.text("primary_id") or None
    with ctx.store.lock:
        customer = ctx.rules.locate(
            customer_id, primary_id, brand_id, fields=("customer_id", "primary_id", "brand_id")
        )
        ctx.rules.purge(customer)
    return result(DATA_PURGED)


@router.delete("/{id}/purgeData", summary="DELETE itemPurgeData (item form)")
async def purge_item_data(id: str, ctx: Ctx = Depends(cud_ctx)) -> dict[str, Any]:
    """Purge everything linked to the customer with this internal id."""
    with ctx.store.lock:
        ctx.rules.purge(ctx.rules.customer(path_id(id)))
    return result(DATA_PURGED)

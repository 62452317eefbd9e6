"""The customer index and item endpoints: list, read, create, update, delete.

See docs/vendors/omnidesk.md §6.1 to §6.6.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends

from sandbox.omnidesk import docs
from sandbox.omnidesk.context import Ctx, cud_ctx, read_ctx
from sandbox.omnidesk.errors import field_error
from sandbox.omnidesk.steps import (
    CUSTOMER_UPDATED,
    apply_changes,
    bounded_int,
    created_result,
    custom_fields,
    link_channels,
    path_id,
    search_by_channels,
)
from sandbox.omnidesk.validation import QUERY_PATTERN
from sandbox.omnidesk.views import (
    customer_detail,
    customer_summary,
    item_envelope,
    list_envelope,
    result,
)

PREFIX = "/api/v2/customer"
CUSTOMER_CREATED = "User created and channel linked."
CUSTOMER_DELETED = "Customer deleted."

router = APIRouter(prefix=PREFIX, tags=["customer"])


@router.get("", summary="GET index", openapi_extra=docs.query("query", "itemStart", "itemLimit"))
async def get_index(ctx: Ctx = Depends(read_ctx)) -> dict[str, Any]:
    """All customers of the account, paged by ``itemStart``/``itemLimit`` (max 99)."""
    p, options = ctx.params, ctx.options
    query = p.patterned("query", QUERY_PATTERN) or ""
    start = bounded_int(p, "itemStart", default=0, minimum=0)
    limit = bounded_int(p, "itemLimit", default=options.default_item_limit, minimum=1)
    if limit > options.max_item_limit:
        if not options.clamp_item_limit:
            raise field_error("itemLimit", f"must be at most {options.max_item_limit}.")
        limit = options.max_item_limit
    with ctx.store.lock:
        found = sorted(ctx.rules.search(query), key=lambda c: c.id)
        items = [customer_summary(c, ctx.account, options) for c in found[start : start + limit]]
    return list_envelope(
        items, item_start=start, item_total=len(found), item_limit=limit, options=options
    )


@router.get("/{id}", summary="GET item")
async def get_item(id: str, ctx: Ctx = Depends(read_ctx)) -> dict[str, Any]:
    """One customer by its internal id, with ``brand_id`` and custom fields."""
    with ctx.store.lock:
        customer = ctx.rules.customer(path_id(id))
        return item_envelope(customer_detail(customer, ctx.account, ctx.options))


@router.post(
    "",
    summary="POST index",
    openapi_extra=docs.form(
        "channel_id",
        "customer_link_channel",
        "search_customer_channel_value",
        "brand_id",
        "primary_id",
        "noSync",
        "firstname",
        "lastname",
        "ticket_id",
        "extra_email",
        "extra_telephone",
        notes=(docs.CUSTOM_FIELD_NOTE,),
    ),
)
async def post_index(ctx: Ctx = Depends(cud_ctx)) -> dict[str, Any]:
    """Create a customer in a brand, linking channels (and a ticket) at once."""
    p, rules = ctx.params, ctx.rules
    brand_id = p.required_number("brand_id")
    primary_id = p.text("primary_id") or None
    search_value = p.text("search_customer_channel_value") or None
    firstname, lastname = p.name("firstname"), p.name("lastname")
    custom = custom_fields(ctx)
    links = link_channels(ctx)
    ticket_id = p.number("ticket_id")
    sync = not p.flag("noSync")
    with ctx.store.lock:
        brand = rules.brand(brand_id)
        existing = None
        if primary_id is None:
            existing = search_by_channels(rules, brand_id, search_value)
        if ticket_id is not None:
            rules.check_ticket(brand, ticket_id)
        addresses = [a for _, a in links]
        customer, created = rules.create(brand, primary_id, existing, addresses)
        rules.update(customer, firstname=firstname, lastname=lastname, custom=custom)
        for type_id, address in links:
            rules.link_channel(customer, type_id, address, sync=sync)
        if ticket_id is not None:
            rules.link_ticket(customer, ticket_id)
    return created_result(ctx, customer, created, CUSTOMER_CREATED)


@router.put(
    "",
    summary="PUT index",
    openapi_extra=docs.form(
        "primaryID",
        "brandID",
        "customerID",
        "firstname",
        "lastname",
        put=True,
        notes=(docs.CUSTOM_FIELD_NOTE,),
    ),
)
async def put_index(ctx: Ctx = Depends(cud_ctx)) -> dict[str, Any]:
    """Update a customer's name and custom fields, found by customerID or primaryID+brandID."""
    p = ctx.params
    customer_id, brand_id = p.number("customerID"), p.number("brandID")
    primary_id = p.text("primaryID") or None
    firstname, lastname = p.name("firstname"), p.name("lastname")
    custom = custom_fields(ctx)
    with ctx.store.lock:
        customer = ctx.rules.locate(
            customer_id, primary_id, brand_id, fields=("customerID", "primaryID", "brandID")
        )
        ctx.rules.update(customer, firstname=firstname, lastname=lastname, custom=custom)
    return result(CUSTOMER_UPDATED)


@router.put(
    "/{id}",
    summary="PUT item",
    openapi_extra=docs.form(
        "brandID",
        "firstname",
        "lastname",
        put=True,
        notes=(docs.CUSTOM_FIELD_NOTE, docs.CHANNEL_PAIR_NOTE),
    ),
)
async def put_item(id: str, ctx: Ctx = Depends(cud_ctx)) -> dict[str, Any]:
    """Update any field of a customer, including channels given as type/value pairs."""
    p = ctx.params
    brand_id = p.number("brandID")
    firstname, lastname = p.name("firstname"), p.name("lastname")
    custom = custom_fields(ctx)
    with ctx.store.lock:
        customer = ctx.rules.customer(path_id(id), brand_id=brand_id)
        apply_changes(ctx, customer, firstname, lastname, custom)
    return result(CUSTOMER_UPDATED)


@router.delete("/{id}", summary="DELETE item")
async def delete_item(id: str, ctx: Ctx = Depends(cud_ctx)) -> dict[str, Any]:
    """Delete a customer (its tickets stay, unlinked)."""
    with ctx.store.lock:
        ctx.rules.delete(ctx.rules.customer(path_id(id)))
    return result(CUSTOMER_DELETED)

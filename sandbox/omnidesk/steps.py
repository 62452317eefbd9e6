"""Request steps the customer routers share: paging numbers, custom fields, channels."""

from __future__ import annotations

from typing import Any

from sandbox.omnidesk.context import Ctx
from sandbox.omnidesk.errors import ROUTE_NOT_FOUND, OmnideskError, field_error
from sandbox.omnidesk.rules import AccountRules
from sandbox.omnidesk.store import Customer
from sandbox.omnidesk.validation import Params
from sandbox.omnidesk.views import result

CUSTOMER_UPDATED = "Customer updated."


def path_id(raw: str) -> int:
    """A numeric id in the path; anything else is no route at all (404, like the vendor's)."""
    if not (raw.isascii() and raw.isdigit()):
        raise OmnideskError(ROUTE_NOT_FOUND, 404)
    return int(raw)


def bounded_int(p: Params, name: str, *, default: int, minimum: int) -> int:
    raw = p.text(name)
    if raw is None or raw == "":
        return default
    digits = raw[1:] if raw.startswith("-") else raw
    if not (digits.isascii() and digits.isdigit()):
        raise field_error(name, "must be a number.")
    value = int(raw)
    if value < minimum:
        raise field_error(name, f"must be at least {minimum}.")
    return value


def custom_fields(ctx: Ctx) -> dict[str, str]:
    options = ctx.options
    return ctx.params.custom_fields(
        options.custom_field_names, reject_unknown=options.reject_unknown_custom_fields
    )


def link_channels(ctx: Ctx) -> list[tuple[int, str]]:
    """POST index's channels: customer_link_channel (typed by channel_id) and the extras."""
    p, rules = ctx.params, ctx.rules
    links: list[tuple[int, str]] = []
    link = p.text("customer_link_channel") or None
    if link is not None:
        raw_type = p.text("channel_id") or None
        type_id = (
            rules.channel_type("channel_id", raw_type)
            if raw_type is not None
            else rules.infer_type("channel_id", link)
        )
        links.append((type_id, rules.check_address("customer_link_channel", type_id, link)))
    for name, kind in (("extra_email", "email"), ("extra_telephone", "telephone")):
        value = p.email(name) if kind == "email" else p.telephone(name)
        extra_type = ctx.options.channel_type_id(kind)
        if value is not None and extra_type is not None:
            links.append((extra_type, value))
    return links


def search_by_channels(
    rules: AccountRules, brand_id: int, search_value: str | None
) -> Customer | None:
    """No primary_id: the brand must allow search by channels, and a value must be sent."""
    brand = rules.brand(brand_id)
    if search_value is None:
        raise field_error("primary_id", "is required.")
    if not brand.enable_customer_search_by_channels:
        raise OmnideskError("Customer search by channels is not enabled for this brand.")
    matches = rules.by_channel_value(brand, search_value)
    return matches[0] if matches else None


def channel_pairs(ctx: Ctx) -> list[tuple[int, str]]:
    """Validated ``customerChannelType_N``/``customerChannelValue_N`` pairs."""
    rules = ctx.rules
    pairs = []
    for type_field, raw_type, value_field, value in ctx.params.channel_pairs():
        type_id = rules.channel_type(type_field, raw_type)
        pairs.append((type_id, rules.check_address(value_field, type_id, value)))
    return pairs


def apply_changes(
    ctx: Ctx,
    customer: Customer,
    firstname: str | None,
    lastname: str | None,
    custom: dict[str, str],
) -> None:
    """Names, custom fields and channel pairs: only what was sent changes (under the lock)."""
    pairs = channel_pairs(ctx)
    ctx.rules.ensure_addresses_free(customer.brand_id, [a for _, a in pairs], customer)
    ctx.rules.update(customer, firstname=firstname, lastname=lastname, custom=custom)
    for type_id, address in pairs:
        ctx.rules.link_channel(
            customer, type_id, address, sync=True, replace=ctx.options.channel_pair_replaces_type
        )


def created_result(ctx: Ctx, customer: Customer, created: bool, message: str) -> dict[str, Any]:
    extra = {"id": customer.id} if ctx.options.return_id_on_create else {}
    return result(message if created else CUSTOMER_UPDATED, **extra)

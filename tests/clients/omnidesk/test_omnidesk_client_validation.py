"""Client-side checks of the documented patterns: a bad field never costs a call."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from fastapi import FastAPI

from tests.clients.omnidesk.support import counters
from vendors.errors import VendorInvalidInputError
from vendors.omnidesk import (
    ChannelInput,
    CustomerChanges,
    ExternalEvent,
    NewChannels,
    NewCustomer,
    OmnideskClient,
)

Call = Callable[[OmnideskClient], Awaitable[object]]

CASES: list[tuple[str, Call, str]] = [
    ("query with @", lambda c: c.list_customers(query="anna@example.com"), "query"),
    ("itemLimit 100", lambda c: c.list_customers(item_limit=100), "itemLimit"),
    ("itemLimit 0", lambda c: c.list_customers(item_limit=0), "itemLimit"),
    ("itemStart -1", lambda c: c.list_customers(item_start=-1), "itemStart"),
    (
        "page size",
        lambda c: c.list_customers(item_limit=100),
        "itemLimit",
    ),
    (
        "digit in a name",
        lambda c: c.create_customer(NewCustomer(primary_id="x", firstname="4nna")),
        "firstname",
    ),
    (
        "local phone",
        lambda c: c.create_customer(NewCustomer(primary_id="x", extra_telephone="0612345678")),
        "extra_telephone",
    ),
    (
        "channel type",
        lambda c: c.create_customer(NewCustomer(primary_id="x", channel_id="fax")),
        "channel_id",
    ),
    (
        "pair type",
        lambda c: c.update_customer(
            1, CustomerChanges(channels=[ChannelInput(type="fax", value="1")])
        ),
        "customerChannelType_0",
    ),
    (
        "pair phone",
        lambda c: c.update_customer_by_external_id(
            "p",
            CustomerChanges(
                channels=[
                    ChannelInput(type="email", value="a@b.nl"),
                    ChannelInput(type="telephone", value="06"),
                ]
            ),
        ),
        "customerChannelValue_1",
    ),
    (
        "extra phone",
        lambda c: c.add_channel_only(NewChannels(telephone="06"), customer_id=1),
        "extra_telephone",
    ),
    ("CRM phone", lambda c: c.sync_with_crm("0612", channel="phoneNumber"), "address"),
    ("purge target", lambda c: c.purge_customer_data(), "customer_id"),
    ("channel target", lambda c: c.add_channel_only(NewChannels(email="a@x.nl")), "customer_id"),
    ("event target", lambda c: c.add_external_event(ExternalEvent(message="m")), "customer_id"),
]


@pytest.mark.parametrize(
    ("call", "field"), [(c, f) for _, c, f in CASES], ids=[n for n, _, _ in CASES]
)
async def test_a_bad_field_fails_before_any_call(
    omnidesk: OmnideskClient, app: FastAPI, call: Call, field: str
) -> None:
    with pytest.raises(VendorInvalidInputError) as caught:
        await call(omnidesk)

    assert caught.value.field == field
    assert caught.value.status is None
    assert caught.value.vendor == "omnidesk"
    assert await counters(app) == {}


async def test_names_with_accents_apostrophes_and_dots_pass(
    omnidesk: OmnideskClient, app: FastAPI
) -> None:
    result = await omnidesk.create_customer(
        NewCustomer(primary_id="ok-1", firstname="Zoë-Chloé", lastname="O'Brien St. Šimek")
    )

    assert result.id is not None
    assert await counters(app) == {"POST /api/v2/customer": 1}

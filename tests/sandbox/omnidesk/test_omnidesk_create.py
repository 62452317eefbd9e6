"""docs/vendors/omnidesk.md §6.3, §6.16: POST index and createCustomerCRUD."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI

from sandbox.omnidesk.demo_data import walk_in_address
from sandbox.omnidesk.store import OmnideskStore
from sandbox.omnidesk.validation import CHANNEL_TYPE_PATTERN, NAME_PATTERN, TELEPHONE_PATTERN
from tests.sandbox.omnidesk.conftest import MakeClient
from tests.sandbox.omnidesk.support import (
    ACME,
    BASE,
    GLOBEX,
    error,
    item,
    key,
    multipart,
    pattern_error,
    result,
)

MAIN, OTHER = ACME.omnidesk_brand_id, ACME.omnidesk_other_brand_id
CREATED = "User created and channel linked."
DUPLICATE = error("A customer with this primary ID already exists in this brand.")


async def create(client: httpx.AsyncClient, **fields: object) -> httpx.Response:
    return await client.post(BASE, headers=key(), files=multipart(**fields))


async def timeline(client: httpx.AsyncClient, primary_id: str) -> list[dict[str, object]]:
    params = {"brand_id": MAIN, "external_id": primary_id, "getTicketHistory": "1"}
    response = await client.get(
        f"{BASE}/timelineByCustomerExternalID", params=params, headers=key()
    )
    items: list[dict[str, object]] = response.json()["items"]
    return items


async def test_create_links_channels_and_custom_fields(client: httpx.AsyncClient) -> None:
    response = await create(
        client,
        brand_id=MAIN,
        primary_id="new-1",
        firstname="Zoë",
        lastname="O'Brien-Šimek",
        channel_id="telephone",
        customer_link_channel="+31612345678",
        extra_email="zoe@example.com",
        custom_tier="gold",
    )

    assert response.status_code == 200
    body = response.json()
    assert body == result(CREATED, id=body["id"])
    created = await item(client, body["id"])
    assert created["external_primary_id"] == "new-1"
    assert (created["firstname"], created["lastname"]) == ("Zoë", "O'Brien-Šimek")
    assert [(c["channel_name"], c["address"]) for c in created["channels"]] == [
        ("telephone", "+31612345678"),
        ("email", "zoe@example.com"),
    ]
    assert created["custom_fields"] == {"tier": "gold"}


async def test_the_new_id_can_be_left_out_by_option(client_with: MakeClient) -> None:
    response = await create(client_with(return_id_on_create=False), brand_id=MAIN, primary_id="n")

    assert response.json() == result(CREATED)


async def test_a_numeric_channel_id_names_the_type(client: httpx.AsyncClient) -> None:
    body = (
        await create(
            client, brand_id=MAIN, primary_id="n2", channel_id=4, customer_link_channel="zoe_tw"
        )
    ).json()

    created = await item(client, body["id"])
    assert [(c["channel_id"], c["channel_name"]) for c in created["channels"]] == [(4, "twitter")]


async def test_a_duplicate_primary_id_is_400(client: httpx.AsyncClient) -> None:
    response = await create(client, brand_id=MAIN, primary_id=ACME.customers[0].customer_id)

    assert response.status_code == 400
    assert response.json() == DUPLICATE


async def test_a_duplicate_primary_id_upserts_by_option(client_with: MakeClient) -> None:
    client = client_with(upsert_on_create=True)
    existing = ACME.customers[0].customer_id

    first = (await create(client, brand_id=MAIN, primary_id=existing, lastname="Renamed")).json()
    again = (await create(client, brand_id=MAIN, primary_id=existing)).json()

    assert first == result("Customer updated.", id=first["id"])
    assert again["id"] == first["id"]
    assert (await item(client, first["id"]))["lastname"] == "Renamed"


async def test_the_same_primary_id_may_live_in_another_brand(client: httpx.AsyncClient) -> None:
    response = await create(client, brand_id=OTHER, primary_id=ACME.customers[0].customer_id)

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"primary_id": "x"}, "Field 'brand_id' is required."),
        ({"brand_id": "main", "primary_id": "x"}, "Field 'brand_id' must be a number."),
        ({"brand_id": GLOBEX.omnidesk_brand_id, "primary_id": "x"}, "Brand not found."),
        ({"brand_id": MAIN}, "Field 'primary_id' is required."),
        (
            {"brand_id": MAIN, "search_customer_channel_value": "a@example.com"},
            "Customer search by channels is not enabled for this brand.",
        ),
        (
            {"brand_id": MAIN, "primary_id": "x", "extra_email": "not-an-email"},
            "Field 'extra_email' must be a valid email address.",
        ),
        ({"brand_id": MAIN, "primary_id": "x", "ticket_id": 1}, "Ticket not found."),
        (
            {"brand_id": MAIN, "primary_id": "x", "ticket_id": "t1"},
            "Field 'ticket_id' must be a number.",
        ),
        (
            {"brand_id": MAIN, "primary_id": "x", "customer_link_channel": "zoe"},
            "Field 'channel_id' is required with customer_link_channel.",
        ),
    ],
)
async def test_bad_create_fields_are_400(
    client: httpx.AsyncClient, fields: dict[str, object], message: str
) -> None:
    response = await create(client, **fields)

    assert response.status_code == 400
    assert response.json() == error(message)


@pytest.mark.parametrize(
    ("fields", "field", "pattern"),
    [
        ({"firstname": "Anna2"}, "firstname", NAME_PATTERN),
        ({"lastname": "de_Vries"}, "lastname", NAME_PATTERN),
        ({"extra_telephone": "0612345678"}, "extra_telephone", TELEPHONE_PATTERN),
        ({"extra_telephone": "+31 6 1234"}, "extra_telephone", TELEPHONE_PATTERN),
        (
            {"channel_id": "fax", "customer_link_channel": "+31612345678"},
            "channel_id",
            CHANNEL_TYPE_PATTERN,
        ),
        (
            {"channel_id": "telephone", "customer_link_channel": "0612345678"},
            "customer_link_channel",
            TELEPHONE_PATTERN,
        ),
    ],
)
async def test_create_fields_follow_the_documented_patterns(
    client: httpx.AsyncClient, fields: dict[str, object], field: str, pattern: str
) -> None:
    response = await create(client, brand_id=MAIN, primary_id="p-1", **fields)

    assert response.status_code == 400
    assert response.json() == pattern_error(field, pattern)


async def test_an_unknown_channel_id_is_400(client: httpx.AsyncClient) -> None:
    response = await create(
        client, brand_id=MAIN, primary_id="p", channel_id=9, customer_link_channel="x"
    )

    assert response.json() == error("Field 'channel_id' is not a known channel type.")


async def test_a_rejected_create_changes_nothing(client: httpx.AsyncClient) -> None:
    await create(client, brand_id=MAIN, primary_id="p-2", extra_telephone="0612")

    response = await client.post(
        f"{BASE}/SearchByPrimaryExternalID",
        headers=key(),
        files=multipart(primary_id="p-2", brand_id=MAIN),
    )
    assert response.json() == error("Customer not found.")


async def test_unknown_custom_fields_are_ignored(client: httpx.AsyncClient) -> None:
    body = (
        await create(
            client, brand_id=MAIN, primary_id="c1", custom_shoe_size="42", custom_city="Delft"
        )
    ).json()

    assert (await item(client, body["id"]))["custom_fields"] == {"city": "Delft"}


async def test_unknown_custom_fields_are_rejected_by_option(client_with: MakeClient) -> None:
    client = client_with(reject_unknown_custom_fields=True)

    response = await create(client, brand_id=MAIN, primary_id="c1", custom_shoe_size="42")

    assert response.status_code == 400
    assert response.json() == error(
        "Field 'custom_shoe_size' is not a custom field of this account."
    )


async def test_a_brand_searching_by_channels_needs_no_primary_id(
    client: httpx.AsyncClient,
) -> None:
    response = await create(
        client,
        brand_id=OTHER,
        search_customer_channel_value="new@example.net",
        channel_id="email",
        customer_link_channel="new@example.net",
    )

    created = await item(client, response.json()["id"])
    assert created["external_primary_id"] is None
    assert [c["address"] for c in created["channels"]] == ["new@example.net"]


async def test_search_by_channels_finds_the_existing_customer(client: httpx.AsyncClient) -> None:
    response = await create(
        client, brand_id=OTHER, search_customer_channel_value=ACME.customers[0].email
    )

    assert response.status_code == 400
    assert response.json() == DUPLICATE


async def test_linking_a_channel_pulls_in_its_unlinked_tickets(client: httpx.AsyncClient) -> None:
    address = walk_in_address(ACME, 0)

    await create(client, brand_id=MAIN, primary_id="walk-in", extra_email=address)

    tickets = [e for e in await timeline(client, "walk-in") if e["type"] == "ticket"]
    assert [t["initiated_by"] for t in tickets] == [address]


@pytest.mark.parametrize("no_sync", ["1", "true", "yes"])
async def test_no_sync_leaves_the_tickets_alone(client: httpx.AsyncClient, no_sync: str) -> None:
    address = walk_in_address(ACME, 0)

    await create(client, brand_id=MAIN, primary_id="walk-in", extra_email=address, noSync=no_sync)

    assert [e for e in await timeline(client, "walk-in") if e["type"] == "ticket"] == []


async def test_no_sync_false_still_syncs(client: httpx.AsyncClient) -> None:
    address = walk_in_address(ACME, 1)

    await create(client, brand_id=MAIN, primary_id="walk-in", extra_email=address, noSync="0")

    assert len([e for e in await timeline(client, "walk-in") if e["type"] == "ticket"]) == 1


async def test_ticket_id_links_that_ticket(client: httpx.AsyncClient, app: FastAPI) -> None:
    store: OmnideskStore = app.state.store
    ticket_id = next(t.id for t in store.accounts["acme"].tickets.values() if t.customer_id is None)

    await create(client, brand_id=MAIN, primary_id="t-1", ticket_id=ticket_id, noSync="1")

    tickets = [e for e in await timeline(client, "t-1") if e["type"] == "ticket"]
    assert [t["ticket_id"] for t in tickets] == [ticket_id]


# --- createCustomerCRUD --------------------------------------------------------------------


async def test_create_customer_crud_takes_pairs(client: httpx.AsyncClient) -> None:
    form = multipart(
        primaryID="crud-1",
        brandID=MAIN,
        firstname="Anna",
        lastname="de Vries",
        custom_tier="silver",
        customerChannelType_0="email",
        customerChannelValue_0="anna@example.com",
        customerChannelType_1=2,
        customerChannelValue_1="+31611111111",
    )

    response = await client.post(f"{BASE}/createCustomerCRUD", headers=key(), files=form)

    body = response.json()
    assert body == result("Customer created.", id=body["id"])
    created = await item(client, body["id"])
    assert [(c["channel_name"], c["address"]) for c in created["channels"]] == [
        ("email", "anna@example.com"),
        ("telephone", "+31611111111"),
    ]
    assert created["custom_fields"] == {"tier": "silver"}


async def test_create_customer_crud_does_not_know_snake_case(client: httpx.AsyncClient) -> None:
    form = multipart(primary_id="crud-2", brand_id=MAIN)

    response = await client.post(f"{BASE}/createCustomerCRUD", headers=key(), files=form)

    assert response.status_code == 400
    assert response.json() == error("Field 'primaryID' is required.")


async def test_create_customer_crud_rejects_a_duplicate(client: httpx.AsyncClient) -> None:
    form = multipart(primaryID=ACME.customers[1].customer_id, brandID=MAIN)

    response = await client.post(f"{BASE}/createCustomerCRUD", headers=key(), files=form)

    assert response.json() == DUPLICATE

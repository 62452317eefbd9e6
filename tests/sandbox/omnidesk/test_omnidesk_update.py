"""PUT index, PUT item (channel pairs), PUT updateCustomer.

See docs/vendors/omnidesk.md §6.4, §6.5, §6.10.
"""

from __future__ import annotations

import httpx
import pytest

from sandbox.omnidesk.validation import NAME_PATTERN, SOCIAL_PATTERN, TELEPHONE_PATTERN
from tests.sandbox.omnidesk.conftest import MakeClient
from tests.sandbox.omnidesk.support import (
    ACME,
    BASE,
    by_primary,
    error,
    item,
    key,
    pattern_error,
    result,
)

MAIN = ACME.omnidesk_brand_id
PERSON = ACME.customers[2]
UPDATED = result("Customer updated.")


async def put(client: httpx.AsyncClient, path: str, **fields: object) -> httpx.Response:
    data = {k: str(v) for k, v in fields.items()}
    return await client.put(f"{BASE}{path}", headers=key(), data=data)


# --- PUT index -----------------------------------------------------------------------------


async def test_put_index_by_customer_id(client: httpx.AsyncClient) -> None:
    before = await by_primary(client, PERSON.customer_id)

    response = await put(client, "", customerID=before["id"], firstname="Anna", custom_tier="gold")

    assert response.json() == UPDATED
    after = await item(client, before["id"])
    assert (after["firstname"], after["lastname"]) == ("Anna", PERSON.last_name)
    assert after["custom_fields"] == {**before["custom_fields"], "tier": "gold"}


async def test_put_index_by_primary_id_and_brand(client: httpx.AsyncClient) -> None:
    response = await put(client, "", primaryID=PERSON.customer_id, brandID=MAIN, lastname="Smit")

    assert response.json() == UPDATED
    assert (await by_primary(client, PERSON.customer_id))["lastname"] == "Smit"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"firstname": "Anna"}, "Field 'customerID' or 'primaryID' is required."),
        ({"primaryID": PERSON.customer_id}, "Field 'brandID' is required."),
        ({"customer_id": 1}, "Field 'customerID' or 'primaryID' is required."),
        ({"customerID": 999999}, "Customer not found."),
        ({"primaryID": "nobody", "brandID": MAIN}, "Customer not found."),
        ({"customerID": "one"}, "Field 'customerID' must be a number."),
    ],
)
async def test_put_index_needs_a_customer(
    client: httpx.AsyncClient, fields: dict[str, object], message: str
) -> None:
    response = await put(client, "", **fields)

    assert response.status_code == 400
    assert response.json() == error(message)


# --- PUT item ------------------------------------------------------------------------------


async def test_put_item_adds_channels_from_pairs(client: httpx.AsyncClient) -> None:
    customer = await by_primary(client, PERSON.customer_id)

    response = await put(
        client,
        f"/{customer['id']}",
        customerChannelType_0="twitter",
        customerChannelValue_0="anna_tweets",
        customerChannelType_1="3",
        customerChannelValue_1="anna fb",
    )

    assert response.json() == UPDATED
    channels = (await item(client, customer["id"]))["channels"]
    assert [(c["channel_name"], c["address"]) for c in channels[-2:]] == [
        ("twitter", "anna_tweets"),
        ("facebook", "anna fb"),
    ]


async def test_a_pair_for_a_linked_address_changes_nothing(client: httpx.AsyncClient) -> None:
    customer = await by_primary(client, PERSON.customer_id)

    await put(
        client, f"/{customer['id']}", customerChannelType_0=1, customerChannelValue_0=PERSON.email
    )

    assert (await item(client, customer["id"]))["channels"] == customer["channels"]


async def test_a_pair_replaces_the_type_by_option(client_with: MakeClient) -> None:
    client = client_with(channel_pair_replaces_type=True)
    customer = await by_primary(client, PERSON.customer_id)

    await put(
        client, f"/{customer['id']}", customerChannelType_0=2, customerChannelValue_0="+3170123"
    )

    phones = [c for c in (await item(client, customer["id"]))["channels"] if c["channel_id"] == 2]
    assert [c["address"] for c in phones] == ["+3170123"]


async def test_pair_names_are_case_sensitive(client: httpx.AsyncClient) -> None:
    customer = await by_primary(client, PERSON.customer_id)

    await put(
        client,
        f"/{customer['id']}",
        customerchanneltype_0="email",
        customerchannelvalue_0="ignored@example.com",
    )

    assert (await item(client, customer["id"]))["channels"] == customer["channels"]


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"customerChannelType_0": "email"}, error("Field 'customerChannelValue_0' is required.")),
        ({"customerChannelValue_3": "a@b.nl"}, error("Field 'customerChannelType_3' is required.")),
        (
            {"customerChannelType_0": "telephone", "customerChannelValue_0": "0612"},
            pattern_error("customerChannelValue_0", TELEPHONE_PATTERN),
        ),
        (
            {"customerChannelType_0": "twitter", "customerChannelValue_0": "@anna"},
            pattern_error("customerChannelValue_0", SOCIAL_PATTERN),
        ),
        (
            {"customerChannelType_0": "email", "customerChannelValue_0": "anna"},
            error("Field 'customerChannelValue_0' must be a valid email address."),
        ),
        ({"firstname": "4nna"}, pattern_error("firstname", NAME_PATTERN)),
        ({"brandID": ACME.omnidesk_other_brand_id}, error("Customer not found.")),
    ],
)
async def test_bad_put_item_fields_are_400_and_change_nothing(
    client: httpx.AsyncClient, fields: dict[str, object], expected: dict[str, str]
) -> None:
    before = await by_primary(client, PERSON.customer_id)

    response = await put(client, f"/{before['id']}", lastname="Changed", **fields)

    assert response.status_code == 400
    assert response.json() == expected
    assert await item(client, before["id"]) == before


async def test_put_item_of_an_unknown_customer_is_400(client: httpx.AsyncClient) -> None:
    response = await put(client, "/999999", firstname="Anna")

    assert response.json() == error("Customer not found.")


# --- PUT updateCustomer ---------------------------------------------------------------------


async def test_update_customer_leaves_unsent_fields_unchanged(client: httpx.AsyncClient) -> None:
    before = await by_primary(client, PERSON.customer_id)

    response = await put(
        client,
        "/updateCustomer",
        externalPrimaryID=PERSON.customer_id,
        brandID=MAIN,
        lastname="Jansen",
        custom_city="Delft",
    )

    assert response.json() == UPDATED
    after = await by_primary(client, PERSON.customer_id)
    assert after == {
        **before,
        "lastname": "Jansen",
        "custom_fields": {**before["custom_fields"], "city": "Delft"},
    }


async def test_update_customer_sets_an_empty_name_when_sent(client: httpx.AsyncClient) -> None:
    await put(
        client, "/updateCustomer", externalPrimaryID=PERSON.customer_id, brandID=MAIN, firstname=""
    )

    assert (await by_primary(client, PERSON.customer_id))["firstname"] == ""


async def test_update_customer_adds_pairs(client: httpx.AsyncClient) -> None:
    await put(
        client,
        "/updateCustomer",
        externalPrimaryID=PERSON.customer_id,
        brandID=MAIN,
        customerChannelType_0="email",
        customerChannelValue_0="second@example.com",
    )

    addresses = [c["address"] for c in (await by_primary(client, PERSON.customer_id))["channels"]]
    assert "second@example.com" in addresses


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"brandID": MAIN}, "Field 'externalPrimaryID' is required."),
        ({"externalPrimaryID": PERSON.customer_id}, "Field 'brandID' is required."),
        ({"externalPrimaryID": "nobody", "brandID": MAIN}, "Customer not found."),
        ({"externalPrimaryID": PERSON.customer_id, "brandID": 99}, "Brand not found."),
    ],
)
async def test_update_customer_needs_a_known_customer(
    client: httpx.AsyncClient, fields: dict[str, object], message: str
) -> None:
    response = await put(client, "/updateCustomer", **fields)

    assert response.status_code == 400
    assert response.json() == error(message)

"""addChannelOnly and DELETE itemChannel (path and parameter forms).

See docs/vendors/omnidesk.md §6.9, §6.11.
"""

from __future__ import annotations

import httpx
import pytest

from sandbox.omnidesk.validation import SOCIAL_PATTERN, TELEPHONE_PATTERN
from tests.sandbox.omnidesk.conftest import MakeClient
from tests.sandbox.omnidesk.support import (
    ACME,
    BASE,
    by_primary,
    error,
    item,
    key,
    multipart,
    pattern_error,
    result,
)

MAIN = ACME.omnidesk_brand_id
PERSON = ACME.customers[3]
ADDED = result("Channel added.")
DELETED = result("Channel deleted.")


async def add(client: httpx.AsyncClient, **fields: object) -> httpx.Response:
    return await client.post(f"{BASE}/addChannelOnly", headers=key(), files=multipart(**fields))


async def test_add_channel_only_by_customer_id(client: httpx.AsyncClient) -> None:
    before = await by_primary(client, PERSON.customer_id)

    response = await add(
        client,
        customer_id=before["id"],
        extra_email="extra@example.com",
        extra_telephone="+31201234567",
        extra_twitter="anna_t",
        extra_facebook=1,
    )

    assert response.json() == ADDED
    after = await item(client, before["id"])
    assert [(c["channel_name"], c["address"]) for c in after["channels"][-4:]] == [
        ("email", "extra@example.com"),
        ("telephone", "+31201234567"),
        ("twitter", "anna_t"),
        ("facebook", "1"),
    ]
    assert {k: v for k, v in after.items() if k != "channels"} == {
        k: v for k, v in before.items() if k != "channels"
    }


async def test_add_channel_only_by_primary_id_and_brand(client: httpx.AsyncClient) -> None:
    response = await add(
        client, primary_id=PERSON.customer_id, brand_id=MAIN, extra_email="x2@example.com"
    )

    assert response.json() == ADDED
    channels = (await by_primary(client, PERSON.customer_id))["channels"]
    assert channels[-1]["address"] == "x2@example.com"


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (
            {"customer_id": 1},
            error(
                "No channel given: send extra_email, extra_telephone, extra_twitter or "
                "extra_facebook."
            ),
        ),
        ({"extra_email": "a@b.nl"}, error("Field 'customer_id' or 'primary_id' is required.")),
        (
            {"primary_id": PERSON.customer_id, "extra_email": "a@b.nl"},
            error("Field 'brand_id' is required."),
        ),
        (
            {"customer_id": 1, "extra_telephone": "06123"},
            pattern_error("extra_telephone", TELEPHONE_PATTERN),
        ),
        (
            {"customer_id": 1, "extra_twitter": "@anna"},
            pattern_error("extra_twitter", SOCIAL_PATTERN),
        ),
        (
            {"customer_id": 1, "extra_facebook": "a.b"},
            pattern_error("extra_facebook", SOCIAL_PATTERN),
        ),
        ({"customer_id": 999999, "extra_email": "a@b.nl"}, error("Customer not found.")),
    ],
)
async def test_bad_add_channel_fields_are_400(
    client: httpx.AsyncClient, fields: dict[str, object], expected: dict[str, str]
) -> None:
    response = await add(client, **fields)

    assert response.status_code == 400
    assert response.json() == expected


async def test_addresses_may_be_shared_by_default(client: httpx.AsyncClient) -> None:
    response = await add(client, customer_id=1, extra_email=ACME.customers[5].email)

    assert response.json() == ADDED


async def test_addresses_are_unique_per_brand_by_option(client_with: MakeClient) -> None:
    client = client_with(unique_channel_address_per_brand=True)

    response = await add(client, customer_id=1, extra_email=ACME.customers[5].email)

    assert response.status_code == 400
    assert response.json() == error(
        "This channel address is already linked to another customer of this brand."
    )


async def test_delete_a_channel_by_path(client: httpx.AsyncClient) -> None:
    customer = await by_primary(client, PERSON.customer_id)
    channel = customer["channels"][0]

    response = await client.delete(
        f"{BASE}/{customer['id']}/channel/{channel['id']}", headers=key()
    )

    assert response.json() == DELETED
    assert (await item(client, customer["id"]))["channels"] == customer["channels"][1:]


async def test_delete_a_channel_by_parameter(client: httpx.AsyncClient) -> None:
    customer = await by_primary(client, PERSON.customer_id)
    channel = customer["channels"][1]

    response = await client.delete(
        f"{BASE}/{customer['id']}/channel", params={"channelID": channel["id"]}, headers=key()
    )

    assert response.json() == DELETED
    remaining = [c["id"] for c in (await item(client, customer["id"]))["channels"]]
    assert channel["id"] not in remaining


async def test_delete_a_channel_of_another_customer_is_400(client: httpx.AsyncClient) -> None:
    other = await by_primary(client, ACME.customers[4].customer_id)
    customer = await by_primary(client, PERSON.customer_id)

    response = await client.delete(
        f"{BASE}/{customer['id']}/channel/{other['channels'][0]['id']}", headers=key()
    )

    assert response.status_code == 400
    assert response.json() == error("Channel not found.")


async def test_the_parameter_form_needs_the_channel_id(client: httpx.AsyncClient) -> None:
    response = await client.delete(f"{BASE}/1/channel", params={"channelId": 1}, headers=key())

    assert response.status_code == 400
    assert response.json() == error("Field 'channelID' is required.")


async def test_a_taken_address_refuses_the_whole_update(client_with: MakeClient) -> None:
    client = client_with(unique_channel_address_per_brand=True)
    before = await by_primary(client, PERSON.customer_id)

    response = await client.put(
        f"{BASE}/{before['id']}",
        headers=key(),
        data={
            "lastname": "Changed",
            "customerChannelType_0": "email",
            "customerChannelValue_0": ACME.customers[5].email,
        },
    )

    assert response.status_code == 400
    assert await item(client, before["id"]) == before


async def test_a_taken_address_refuses_the_create(client_with: MakeClient) -> None:
    client = client_with(unique_channel_address_per_brand=True)

    response = await client.post(
        BASE,
        headers=key(),
        files=multipart(brand_id=MAIN, primary_id="u-1", extra_email=ACME.customers[5].email),
    )
    lookup = await client.post(
        f"{BASE}/SearchByPrimaryExternalID",
        headers=key(),
        files=multipart(primary_id="u-1", brand_id=MAIN),
    )

    assert response.json() == error(
        "This channel address is already linked to another customer of this brand."
    )
    assert lookup.json() == error("Customer not found.")

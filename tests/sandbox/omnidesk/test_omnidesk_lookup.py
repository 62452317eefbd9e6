"""GET item, SearchByPrimaryExternalID, SearchByCustomerChannelValue.

See docs/vendors/omnidesk.md §6.2, §6.7, §6.8.
"""

from __future__ import annotations

import httpx

from tests.sandbox.omnidesk.conftest import MakeClient
from tests.sandbox.omnidesk.support import ACME, BASE, error, key, multipart

CUSTOMER = ACME.customers[0]
MAIN, OTHER = ACME.omnidesk_brand_id, ACME.omnidesk_other_brand_id


async def search_primary(client: httpx.AsyncClient, primary_id: str) -> httpx.Response:
    return await client.post(
        f"{BASE}/SearchByPrimaryExternalID",
        headers=key(),
        files=multipart(primary_id=primary_id, brand_id=MAIN),
    )


async def search_value(client: httpx.AsyncClient, value: str, brand_id: int) -> httpx.Response:
    return await client.post(
        f"{BASE}/SearchByCustomerChannelValue",
        headers=key(),
        files=multipart(customerChannelValue=value, brand_id=brand_id),
    )


async def test_search_by_primary_id_answers_the_item_envelope(client: httpx.AsyncClient) -> None:
    body = (await search_primary(client, CUSTOMER.customer_id)).json()

    assert body["type"] == "item"
    item = body["item"]
    assert (item["firstname"], item["lastname"]) == (CUSTOMER.first_name, CUSTOMER.last_name)
    assert item["brand_id"] == MAIN
    assert item["custom_fields"] == {
        "tier": CUSTOMER.tier,
        "city": CUSTOMER.city,
        "crm_reference": CUSTOMER.external_reference,
    }
    assert {(c["channel_name"], c["address"]) for c in item["channels"]} >= {
        ("email", CUSTOMER.email),
        ("telephone", CUSTOMER.mobile),
    }


async def test_get_item_answers_the_same_customer(client: httpx.AsyncClient) -> None:
    found = (await search_primary(client, CUSTOMER.customer_id)).json()["item"]

    response = await client.get(f"{BASE}/{found['id']}", headers=key())

    assert response.json() == {"type": "item", "item": found}


async def test_get_item_of_an_unknown_id_is_400(client: httpx.AsyncClient) -> None:
    response = await client.get(f"{BASE}/999999", headers=key())

    assert response.status_code == 400
    assert response.json() == error("Customer not found.")


async def test_the_not_found_status_is_an_option(client_with: MakeClient) -> None:
    response = await client_with(not_found_status=404).get(f"{BASE}/999999", headers=key())

    assert response.status_code == 404
    assert response.json() == error("Customer not found.")


async def test_an_unknown_primary_id_is_not_found(client: httpx.AsyncClient) -> None:
    response = await search_primary(client, "no-such-id")

    assert response.status_code == 400
    assert response.json() == error("Customer not found.")


async def test_search_by_primary_id_can_answer_a_list(client_with: MakeClient) -> None:
    client = client_with(search_by_primary_id_shape="items")

    hit = (await search_primary(client, CUSTOMER.customer_id)).json()
    miss = (await search_primary(client, "no-such-id")).json()

    assert [c["external_primary_id"] for c in hit["items"]] == [CUSTOMER.customer_id]
    assert (miss["type"], miss["itemTotal"], miss["items"]) == ("items", 0, [])


async def test_custom_fields_can_be_flat(client_with: MakeClient) -> None:
    client = client_with(custom_fields_style="flat")

    item = (await search_primary(client, CUSTOMER.customer_id)).json()["item"]

    assert item["custom_tier"] == CUSTOMER.tier
    assert "custom_fields" not in item


async def test_search_by_primary_id_needs_both_fields(client: httpx.AsyncClient) -> None:
    response = await client.post(
        f"{BASE}/SearchByPrimaryExternalID",
        headers=key(),
        files=multipart(primary_id=CUSTOMER.customer_id),
    )

    assert response.status_code == 400
    assert response.json() == error("Field 'brand_id' is required.")


async def test_search_by_channel_value_is_scoped_to_the_brand(client: httpx.AsyncClient) -> None:
    # the other brand's first customer shares the email of the main brand's first customer
    main = (await search_value(client, CUSTOMER.email, MAIN)).json()
    other = (await search_value(client, CUSTOMER.email, OTHER)).json()

    assert [c["external_primary_id"] for c in main["items"]] == [CUSTOMER.customer_id]
    assert [c["brand_id"] for c in other["items"]] == [OTHER]
    assert other["items"][0]["external_primary_id"] != CUSTOMER.customer_id


async def test_search_by_channel_value_matches_phones_and_ignores_email_case(
    client: httpx.AsyncClient,
) -> None:
    by_phone = (await search_value(client, CUSTOMER.mobile, MAIN)).json()
    by_upper_email = (await search_value(client, CUSTOMER.email.upper(), MAIN)).json()

    assert by_phone["items"][0]["external_primary_id"] == CUSTOMER.customer_id
    assert by_upper_email["itemTotal"] == 1


async def test_search_by_channel_value_without_match_is_an_empty_list(
    client: httpx.AsyncClient,
) -> None:
    body = (await search_value(client, "nobody@example.com", MAIN)).json()

    assert (body["type"], body["itemTotal"], body["items"]) == ("items", 0, [])


async def test_search_by_channel_value_needs_the_value(client: httpx.AsyncClient) -> None:
    response = await client.post(
        f"{BASE}/SearchByCustomerChannelValue",
        headers=key(),
        files=multipart(customerchannelvalue=CUSTOMER.email, brand_id=MAIN),
    )

    assert response.status_code == 400
    assert response.json() == error("Field 'customerChannelValue' is required.")

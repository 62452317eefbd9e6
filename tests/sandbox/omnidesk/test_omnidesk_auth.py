"""The apiKey header or query parameter, CUSTOMER_READ / CUSTOMER_CUD, one account each.

See docs/vendors/omnidesk.md §1.2, §1.3.
"""

from __future__ import annotations

import httpx

from tests.sandbox.omnidesk.conftest import MakeClient
from tests.sandbox.omnidesk.support import ACCOUNT_SIZE, ACME, BASE, GLOBEX, error, key, multipart

FORBIDDEN = error("This API key does not have the CUSTOMER_CUD permission.")


async def test_the_api_key_header_opens_the_account(client: httpx.AsyncClient) -> None:
    response = await client.get(BASE, headers={"apiKey": ACME.omnidesk_api_key})

    assert response.status_code == 200
    assert response.json()["itemTotal"] == ACCOUNT_SIZE


async def test_the_api_key_query_parameter_is_accepted(client: httpx.AsyncClient) -> None:
    response = await client.get(BASE, params={"apiKey": ACME.omnidesk_api_key})

    assert response.status_code == 200
    assert response.json()["type"] == "items"


async def test_the_query_parameter_can_be_switched_off(client_with: MakeClient) -> None:
    client = client_with(accept_query_api_key=False)

    response = await client.get(BASE, params={"apiKey": ACME.omnidesk_api_key})

    assert response.status_code == 401
    assert response.json() == error("No API key given.")


async def test_a_missing_key_is_401(client: httpx.AsyncClient) -> None:
    response = await client.get(BASE)

    assert response.status_code == 401
    assert response.json() == error("No API key given.")


async def test_an_unknown_key_is_401(client: httpx.AsyncClient) -> None:
    response = await client.get(BASE, headers={"apiKey": "od-acme-0000"})

    assert response.status_code == 401
    assert response.json() == error("Invalid API key.")


async def test_the_key_is_checked_before_the_fields(client: httpx.AsyncClient) -> None:
    response = await client.get(BASE, params={"itemLimit": "lots"}, headers={"apiKey": "nope"})

    assert response.status_code == 401


async def test_a_read_only_key_reads(client: httpx.AsyncClient) -> None:
    customer = ACME.customers[0]

    listed = await client.get(BASE, headers=key(read_only=True))
    searched = await client.post(
        f"{BASE}/SearchByCustomerChannelValue",
        headers=key(read_only=True),
        files=multipart(customerChannelValue=customer.email, brand_id=ACME.omnidesk_brand_id),
    )

    assert listed.status_code == 200
    assert searched.status_code == 200


async def test_a_read_only_key_cannot_write(client: httpx.AsyncClient) -> None:
    response = await client.post(
        BASE,
        headers=key(read_only=True),
        files=multipart(brand_id=ACME.omnidesk_brand_id, primary_id="ro-1"),
    )

    assert response.status_code == 403
    assert response.json() == FORBIDDEN


async def test_a_read_only_key_cannot_delete(client: httpx.AsyncClient) -> None:
    response = await client.delete(f"{BASE}/1", headers=key(read_only=True))

    assert response.status_code == 403
    assert response.json() == FORBIDDEN


async def test_auth_statuses_are_options(client_with: MakeClient) -> None:
    client = client_with(bad_key_status=403, forbidden_status=401)

    bad = await client.get(BASE, headers={"apiKey": "nope"})
    forbidden = await client.delete(f"{BASE}/1", headers=key(read_only=True))

    assert (bad.status_code, forbidden.status_code) == (403, 401)
    assert forbidden.json() == FORBIDDEN


async def test_an_account_never_sees_another_accounts_customers(
    client: httpx.AsyncClient,
) -> None:
    globex_first = (await client.get(BASE, headers=key(GLOBEX))).json()["items"][0]["id"]

    response = await client.get(f"{BASE}/{globex_first}", headers=key(ACME))

    assert response.status_code == 400
    assert response.json() == error("Customer not found.")


async def test_an_account_never_sees_another_accounts_brands(client: httpx.AsyncClient) -> None:
    customer = GLOBEX.customers[0]

    response = await client.post(
        f"{BASE}/SearchByPrimaryExternalID",
        headers=key(ACME),
        files=multipart(primary_id=customer.customer_id, brand_id=GLOBEX.omnidesk_brand_id),
    )

    assert response.status_code == 400
    assert response.json() == error("Brand not found.")


async def test_an_accounts_index_lists_only_its_own_customers(client: httpx.AsyncClient) -> None:
    acme = (await client.get(BASE, params={"itemLimit": 99}, headers=key(ACME))).json()
    globex = (await client.get(BASE, params={"itemLimit": 99}, headers=key(GLOBEX))).json()

    acme_ids = {c["external_primary_id"] for c in acme["items"]}
    globex_ids = {c["external_primary_id"] for c in globex["items"]}
    assert acme_ids.isdisjoint(globex_ids)
    assert {c.customer_id for c in ACME.customers} <= acme_ids

"""docs/vendors/omnidesk.md §6.6, §6.12: DELETE item and DELETE itemPurgeData (both paths)."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI

from sandbox.omnidesk.store import OmnideskStore
from tests.sandbox.omnidesk.support import ACME, BASE, by_primary, error, key, multipart, result

MAIN = ACME.omnidesk_brand_id
PURGED = result("Customer data purged.")


def tickets_of(app: FastAPI, customer_id: int) -> list[int]:
    store: OmnideskStore = app.state.store
    return [t.id for t in store.accounts["acme"].tickets.values() if t.customer_id == customer_id]


def person_with_tickets(app: FastAPI) -> tuple[str, int]:
    store: OmnideskStore = app.state.store
    account = store.accounts["acme"]
    for customer in account.customers.values():
        if (
            customer.brand_id == MAIN
            and tickets_of(app, customer.id)
            and customer.id in account.timeline
        ):
            assert customer.external_primary_id is not None
            return customer.external_primary_id, customer.id
    raise AssertionError("the demo data has a customer with tickets and events")


async def timeline(client: httpx.AsyncClient, primary_id: str) -> httpx.Response:
    params = {"brand_id": MAIN, "external_id": primary_id}
    return await client.get(f"{BASE}/timelineByCustomerExternalID", params=params, headers=key())


async def test_delete_removes_the_customer(client: httpx.AsyncClient, app: FastAPI) -> None:
    primary_id, customer_id = person_with_tickets(app)
    tickets = tickets_of(app, customer_id)

    response = await client.delete(f"{BASE}/{customer_id}", headers=key())

    assert response.json() == result("Customer deleted.")
    gone = await client.get(f"{BASE}/{customer_id}", headers=key())
    assert gone.json() == error("Customer not found.")
    assert (await timeline(client, primary_id)).json() == error("Customer not found.")
    store: OmnideskStore = app.state.store
    assert all(store.accounts["acme"].tickets[t].customer_id is None for t in tickets)


async def test_a_deleted_primary_id_can_be_created_again(client: httpx.AsyncClient) -> None:
    customer = await by_primary(client, ACME.customers[0].customer_id)
    await client.delete(f"{BASE}/{customer['id']}", headers=key())

    response = await client.post(
        BASE,
        headers=key(),
        files=multipart(brand_id=MAIN, primary_id=customer["external_primary_id"]),
    )

    assert response.json()["message"] == "User created and channel linked."


async def test_delete_of_an_unknown_customer_is_400(client: httpx.AsyncClient) -> None:
    response = await client.delete(f"{BASE}/999999", headers=key())

    assert response.status_code == 400
    assert response.json() == error("Customer not found.")


@pytest.mark.parametrize("path", ["/purgedata", "/purgeData", "/PURGEDATA"])
async def test_purge_by_primary_id_removes_everything(
    client: httpx.AsyncClient, app: FastAPI, path: str
) -> None:
    primary_id, customer_id = person_with_tickets(app)

    response = await client.delete(
        f"{BASE}{path}", params={"primary_id": primary_id, "brand_id": MAIN}, headers=key()
    )

    assert response.json() == PURGED
    store: OmnideskStore = app.state.store
    account = store.accounts["acme"]
    assert customer_id not in account.customers
    assert customer_id not in account.timeline
    assert tickets_of(app, customer_id) == []
    assert (await timeline(client, primary_id)).json() == error("Customer not found.")


async def test_purge_by_customer_id(client: httpx.AsyncClient) -> None:
    customer = await by_primary(client, ACME.customers[6].customer_id)

    response = await client.delete(
        f"{BASE}/purgeData", params={"customer_id": customer["id"]}, headers=key()
    )

    assert response.json() == PURGED


async def test_purge_by_item_path(client: httpx.AsyncClient) -> None:
    customer = await by_primary(client, ACME.customers[7].customer_id)

    response = await client.delete(f"{BASE}/{customer['id']}/purgeData", headers=key())

    assert response.json() == PURGED
    gone = await client.get(f"{BASE}/{customer['id']}", headers=key())
    assert gone.json() == error("Customer not found.")


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "Field 'customer_id' or 'primary_id' is required."),
        ({"primary_id": ACME.customers[0].customer_id}, "Field 'brand_id' is required."),
        (
            {"primaryID": ACME.customers[0].customer_id, "brandID": MAIN},
            "Field 'customer_id' or 'primary_id' is required.",
        ),
        ({"customer_id": 999999}, "Customer not found."),
    ],
)
async def test_purge_needs_a_known_customer(
    client: httpx.AsyncClient, params: dict[str, object], message: str
) -> None:
    response = await client.delete(f"{BASE}/purgeData", params=params, headers=key())

    assert response.status_code == 400
    assert response.json() == error(message)

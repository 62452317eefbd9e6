"""timelineByCustomerExternalID (with ticket history) and externalEvent.

See docs/vendors/omnidesk.md §6.13, §6.14.
"""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from sandbox.omnidesk.store import OmnideskStore
from sandbox.omnidesk.validation import URL_PATTERN
from tests.sandbox.omnidesk.conftest import MakeClient
from tests.sandbox.omnidesk.support import (
    ACME,
    BASE,
    by_primary,
    error,
    key,
    multipart,
    pattern_error,
    result,
)

MAIN = ACME.omnidesk_brand_id
TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$")


def busy_customer(app: FastAPI) -> tuple[str, int, int]:
    """A demo customer with events and tickets: (primary id, events, tickets)."""
    store: OmnideskStore = app.state.store
    account = store.accounts["acme"]
    for customer in account.customers.values():
        events = len(account.timeline.get(customer.id, []))
        tickets = sum(1 for t in account.tickets.values() if t.customer_id == customer.id)
        if events and tickets and customer.external_primary_id:
            return customer.external_primary_id, events, tickets
    raise AssertionError("the demo data has a customer with events and tickets")


async def timeline(client: httpx.AsyncClient, primary_id: str, **extra: str) -> httpx.Response:
    params = {"brand_id": str(MAIN), "external_id": primary_id, **extra}
    return await client.get(f"{BASE}/timelineByCustomerExternalID", params=params, headers=key())


async def add_event(client: httpx.AsyncClient, **fields: object) -> httpx.Response:
    return await client.post(f"{BASE}/externalEvent", headers=key(), files=multipart(**fields))


async def test_the_timeline_holds_external_events(client: httpx.AsyncClient, app: FastAPI) -> None:
    primary_id, events, _ = busy_customer(app)

    body = (await timeline(client, primary_id)).json()

    assert body["type"] == "items"
    assert len(body["items"]) == events
    assert {e["type"] for e in body["items"]} == {"external_event"}
    assert all(TIMESTAMP.match(e["created"]) for e in body["items"])
    created = [e["created"] for e in body["items"]]
    assert created == sorted(created, reverse=True)


@pytest.mark.parametrize("flag", ["1", "", "yes"])
async def test_get_ticket_history_with_any_value_adds_tickets(
    client: httpx.AsyncClient, app: FastAPI, flag: str
) -> None:
    primary_id, events, tickets = busy_customer(app)

    body = (await timeline(client, primary_id, getTicketHistory=flag)).json()

    ticket_entries = [e for e in body["items"] if e["type"] == "ticket"]
    assert len(ticket_entries) == tickets
    assert len(body["items"]) == events + tickets
    assert set(ticket_entries[0]) >= {"ticket_id", "status", "message", "created"}


async def test_the_flag_name_is_case_sensitive(client: httpx.AsyncClient, app: FastAPI) -> None:
    primary_id, events, _ = busy_customer(app)

    body = (await timeline(client, primary_id, gettickethistory="1")).json()

    assert len(body["items"]) == events


async def test_oldest_first_by_option(client_with: MakeClient) -> None:
    client = client_with(timeline_newest_first=False)
    await add_event(
        client, external_id=ACME.customers[0].customer_id, brand_id=MAIN, message="later"
    )

    items = (await timeline(client, ACME.customers[0].customer_id)).json()["items"]

    assert items[-1]["message"] == "later"


async def test_an_external_event_lands_on_top_of_the_timeline(client: httpx.AsyncClient) -> None:
    person = ACME.customers[8]

    response = await add_event(
        client,
        external_id=person.customer_id,
        brand_id=MAIN,
        message="Order #1 shipped",
        initiated_by="webshop",
        source_url="https://shop.example.com/orders/1",
    )

    body = response.json()
    assert body == result("Event added.", id=body["id"])
    newest = (await timeline(client, person.customer_id)).json()["items"][0]
    assert newest == {
        "id": body["id"],
        "type": "external_event",
        "message": "Order #1 shipped",
        "initiated_by": "webshop",
        "source_url": "https://shop.example.com/orders/1",
        "created": newest["created"],
    }
    assert TIMESTAMP.match(newest["created"])


async def test_an_external_event_by_customer_id(client: httpx.AsyncClient) -> None:
    customer = await by_primary(client, ACME.customers[9].customer_id)

    response = await add_event(client, customer_id=customer["id"], message="Newsletter sent")

    assert response.status_code == 200
    items: list[dict[str, Any]] = (await timeline(client, ACME.customers[9].customer_id)).json()[
        "items"
    ]
    assert items[0]["message"] == "Newsletter sent"


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"customer_id": 1}, error("Field 'message' is required.")),
        ({"message": "x"}, error("Field 'customer_id' or 'external_id' is required.")),
        ({"external_id": "nobody", "message": "x"}, error("Field 'brand_id' is required.")),
        ({"external_id": "nobody", "brand_id": MAIN, "message": "x"}, error("Customer not found.")),
        (
            {"customer_id": 1, "message": "x", "source_url": "shop.example.com"},
            pattern_error("source_url", URL_PATTERN),
        ),
    ],
)
async def test_bad_external_events_are_400(
    client: httpx.AsyncClient, fields: dict[str, object], expected: dict[str, str]
) -> None:
    response = await add_event(client, **fields)

    assert response.status_code == 400
    assert response.json() == expected


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"external_id": "x"}, "Field 'brand_id' is required."),
        ({"brand_id": str(MAIN)}, "Field 'external_id' is required."),
        ({"brand_id": str(MAIN), "externalID": "x"}, "Field 'external_id' is required."),
        ({"brand_id": str(MAIN), "external_id": "nobody"}, "Customer not found."),
    ],
)
async def test_the_timeline_needs_a_known_customer(
    client: httpx.AsyncClient, params: dict[str, str], message: str
) -> None:
    response = await client.get(
        f"{BASE}/timelineByCustomerExternalID", params=params, headers=key()
    )

    assert response.status_code == 400
    assert response.json() == error(message)

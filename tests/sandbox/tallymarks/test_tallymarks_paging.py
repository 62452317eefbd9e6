"""Paging: limit ≤ 100, opaque offsetKey, stable newest-first order, null on the last page.

See docs/vendors/tallymarks.md §4.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.sandbox.tallymarks.tm_support import (
    ACME,
    client_for,
    create_customer,
    invalid,
    new_app,
)


async def walk(client: httpx.AsyncClient, path: str, key: str, **params: Any) -> list[list[Any]]:
    pages: list[list[Any]] = []
    offset_key = None
    while True:
        query = {**params, **({"offsetKey": offset_key} if offset_key else {})}
        body = (await client.get(path, params=query)).json()
        pages.append(body[key])
        offset_key = body["offsetKey"]
        if offset_key is None:
            return pages


async def test_walking_customer_pages_returns_everyone_once_newest_first() -> None:
    async with client_for(new_app()) as client:
        pages = await walk(client, "/api/v1/customers", "customers", limit=10)
    customers = [c for page in pages for c in page]
    assert [len(p) for p in pages] == [10, 10, 5]
    assert sorted(c["customerId"] for c in customers) == sorted(
        c.customer_id for c in ACME.customers
    )
    order = [(c["createdAt"], c["customerId"]) for c in customers]
    assert order == sorted(order, reverse=True)


async def test_an_exactly_full_last_page_has_no_offset_key() -> None:
    async with client_for(new_app()) as client:
        body = (await client.get("/api/v1/customers", params={"limit": 25})).json()
    assert (len(body["customers"]), body["offsetKey"]) == (25, None)


async def test_the_default_limit_is_configurable() -> None:
    async with client_for(new_app(default_limit=4)) as client:
        body = (await client.get("/api/v1/customers")).json()
    assert len(body["customers"]) == 4
    assert body["offsetKey"]


async def test_walking_all_events_pages_sees_each_event_once() -> None:
    async with client_for(new_app()) as client:
        pages = await walk(client, "/api/v1/customers/events", "events", limit=100)
        one_go = [
            e
            for cid in (c.customer_id for c in ACME.customers)
            for e in (
                await client.get(
                    "/api/v1/customers/events", params={"customerId": cid, "limit": 100}
                )
            ).json()["events"]
        ]
    events = [e["eventId"] for page in pages for e in page]
    assert len(pages) > 1
    assert len(events) == len(set(events)) == len(one_go)


@pytest.mark.parametrize("limit", ["101", "1000"])
async def test_a_limit_over_100_is_rejected(limit: str) -> None:
    async with client_for(new_app()) as client:
        response = await client.get("/api/v1/customers/events", params={"limit": limit})
    assert response.status_code == 400
    assert response.json() == invalid("limit", "The limit must not exceed 100.", limit)


async def test_a_limit_over_100_can_be_clamped() -> None:
    async with client_for(new_app(limit_over_max="clamp")) as client:
        response = await client.get("/api/v1/customers/events", params={"limit": 500})
    assert response.status_code == 200
    assert len(response.json()["events"]) == 100


@pytest.mark.parametrize(
    ("limit", "message"),
    [
        ("0", "The limit must be at least 1."),
        ("ten", "Input should be a valid integer, unable to parse string as an integer"),
    ],
)
async def test_a_bad_limit_is_rejected(limit: str, message: str) -> None:
    async with client_for(new_app()) as client:
        response = await client.get("/api/v1/customers", params={"limit": limit})
    assert (response.status_code, response.json()) == (400, invalid("limit", message, limit))


@pytest.mark.parametrize("offset_key", ["garbage!", "bm90IGpzb24", "WzFd"])
async def test_a_bad_offset_key_is_rejected(offset_key: str) -> None:
    async with client_for(new_app()) as client:
        response = await client.get("/api/v1/customers", params={"offsetKey": offset_key})
    assert response.status_code == 400
    assert response.json() == invalid("offsetKey", "The offsetKey is not valid.", offset_key)


async def test_a_customer_created_between_pages_does_not_shift_the_next_page() -> None:
    async with client_for(new_app()) as client:
        first = (await client.get("/api/v1/customers", params={"limit": 10})).json()
        await create_customer(client)  # newest of all: sorts before page one
        second = (
            await client.get(
                "/api/v1/customers", params={"limit": 10, "offsetKey": first["offsetKey"]}
            )
        ).json()
        fresh = (await client.get("/api/v1/customers", params={"limit": 21})).json()
    expected = [c["customerId"] for c in fresh["customers"][11:21]]
    assert [c["customerId"] for c in second["customers"]] == expected

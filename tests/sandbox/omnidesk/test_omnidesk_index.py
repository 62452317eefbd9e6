"""GET index — the list envelope, paging by itemStart/itemLimit (max 99), query.

See docs/vendors/omnidesk.md §4.
"""

from __future__ import annotations

import httpx
import pytest

from sandbox.omnidesk.validation import QUERY_PATTERN
from tests.sandbox.omnidesk.conftest import MakeClient
from tests.sandbox.omnidesk.support import (
    ACCOUNT_SIZE,
    ACME,
    BASE,
    error,
    key,
    pattern_error,
)

INDEX_KEYS = {"id", "external_primary_id", "brand_name", "firstname", "lastname", "channels"}


async def test_the_first_page_uses_the_documented_defaults(client: httpx.AsyncClient) -> None:
    body = (await client.get(BASE, headers=key())).json()

    assert {k: body[k] for k in ("type", "itemStart", "itemTotal", "itemLimit")} == {
        "type": "items",
        "itemStart": 0,
        "itemTotal": ACCOUNT_SIZE,
        "itemLimit": 15,
    }
    assert len(body["items"]) == 15
    assert set(body["items"][0]) == INDEX_KEYS


async def test_index_items_carry_their_brand_and_channels(client: httpx.AsyncClient) -> None:
    first = (await client.get(BASE, headers=key())).json()["items"][0]

    assert first["brand_name"] == ACME.name
    assert {c["channel_name"] for c in first["channels"]} >= {"email", "telephone"}
    assert set(first["channels"][0]) == {"id", "channel_id", "channel_name", "address"}


async def test_walking_the_pages_visits_every_customer_once(client: httpx.AsyncClient) -> None:
    seen: list[int] = []
    start, total = 0, None
    while total is None or start < total:
        params = {"itemStart": start, "itemLimit": 7}
        page = (await client.get(BASE, params=params, headers=key())).json()
        seen += [c["id"] for c in page["items"]]
        start, total = start + page["itemLimit"], page["itemTotal"]

    assert len(seen) == len(set(seen)) == ACCOUNT_SIZE


async def test_a_start_past_the_end_is_an_empty_page(client: httpx.AsyncClient) -> None:
    page = (await client.get(BASE, params={"itemStart": 500}, headers=key())).json()

    assert page["items"] == []
    assert page["itemTotal"] == ACCOUNT_SIZE


async def test_item_limit_99_is_allowed(client: httpx.AsyncClient) -> None:
    page = (await client.get(BASE, params={"itemLimit": 99}, headers=key())).json()

    assert page["itemLimit"] == 99
    assert len(page["items"]) == ACCOUNT_SIZE


async def test_item_limit_100_is_rejected(client: httpx.AsyncClient) -> None:
    response = await client.get(BASE, params={"itemLimit": 100}, headers=key())

    assert response.status_code == 400
    assert response.json() == error("Field 'itemLimit' must be at most 99.")


async def test_item_limit_100_is_clamped_by_option(client_with: MakeClient) -> None:
    client = client_with(clamp_item_limit=True)

    page = (await client.get(BASE, params={"itemLimit": 100}, headers=key())).json()

    assert page["itemLimit"] == 99


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"itemLimit": "0"}, "Field 'itemLimit' must be at least 1."),
        ({"itemLimit": "ten"}, "Field 'itemLimit' must be a number."),
        ({"itemStart": "-1"}, "Field 'itemStart' must be at least 0."),
        ({"itemStart": "1.5"}, "Field 'itemStart' must be a number."),
    ],
)
async def test_bad_paging_numbers_are_400(
    client: httpx.AsyncClient, params: dict[str, str], message: str
) -> None:
    response = await client.get(BASE, params=params, headers=key())

    assert response.status_code == 400
    assert response.json() == error(message)


@pytest.mark.parametrize("query", ["anna@example.com", "O'Brien", "Chloé", "a-b"])
async def test_a_query_outside_the_pattern_is_400(client: httpx.AsyncClient, query: str) -> None:
    response = await client.get(BASE, params={"query": query}, headers=key())

    assert response.status_code == 400
    assert response.json() == pattern_error("query", QUERY_PATTERN)


async def test_a_query_filters_by_name(client: httpx.AsyncClient) -> None:
    target = next(c for c in ACME.customers if c.first_name.isascii() and c.first_name.isalpha())

    page = (await client.get(BASE, params={"query": target.first_name}, headers=key())).json()

    expected = sum(1 for c in ACME.customers if target.first_name.lower() in c.display_name.lower())
    assert page["itemTotal"] >= expected >= 1
    assert all(
        target.first_name.lower() in f"{c['firstname']} {c['lastname']}".lower()
        for c in page["items"]
    )


async def test_an_empty_query_is_no_filter(client: httpx.AsyncClient) -> None:
    page = (await client.get(BASE, params={"query": ""}, headers=key())).json()

    assert page["itemTotal"] == ACCOUNT_SIZE

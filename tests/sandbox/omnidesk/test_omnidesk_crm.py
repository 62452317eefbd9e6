"""syncWithCRM — the stub CRM, a real CRM over HTTP, and no CRM at all.

See docs/vendors/omnidesk.md §6.15.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from sandbox.omnidesk.validation import EMAIL_PATTERN, TELEPHONE_PATTERN
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
from tests.support.live_server import live_server

MAIN, OTHER = ACME.omnidesk_brand_id, ACME.omnidesk_other_brand_id
SYNCED = "Customer synchronized with CRM."


async def sync(client: httpx.AsyncClient, **fields: object) -> httpx.Response:
    return await client.post(f"{BASE}/syncWithCRM", headers=key(), files=multipart(**fields))


async def set_crm(client: httpx.AsyncClient, brand_id: int, crm_url: str | None) -> None:
    response = await client.patch(
        f"/_sandbox/omnidesk/brands/{brand_id}", json={"crm_url": crm_url}
    )
    assert response.status_code == 200


# --- the stub CRM ---------------------------------------------------------------------------


async def test_sync_restores_a_customer_from_the_stub_crm(client: httpx.AsyncClient) -> None:
    person = ACME.customers[10]
    await client.put(
        f"{BASE}/updateCustomer",
        headers=key(),
        data={"externalPrimaryID": person.customer_id, "brandID": str(MAIN), "lastname": "Wrong"},
    )

    response = await sync(client, brandID=MAIN, channel="email", address=person.email)

    body = response.json()
    assert body == result(SYNCED, id=body["id"])
    synced = await by_primary(client, person.customer_id)
    assert (synced["id"], synced["lastname"]) == (body["id"], person.last_name)


async def test_sync_by_phone_number(client: httpx.AsyncClient) -> None:
    person = ACME.customers[11]

    response = await sync(client, brandID=MAIN, channel="phoneNumber", address=person.mobile)

    assert (await item(client, response.json()["id"]))["external_primary_id"] == person.customer_id


async def test_sync_creates_a_customer_from_an_added_crm_record(client: httpx.AsyncClient) -> None:
    await client.post(
        "/_sandbox/omnidesk/crm",
        json={
            "brand_id": MAIN,
            "primaryID": "crm-42",
            "firstname": "Lotte",
            "lastname": "Kuiper",
            "email": "lotte@example.com",
            "custom_tier": "gold",
            "custom_unknown": "ignored",
        },
    )

    response = await sync(client, brandID=MAIN, channel="email", address="lotte@example.com")

    created = await item(client, response.json()["id"])
    assert (created["external_primary_id"], created["firstname"]) == ("crm-42", "Lotte")
    assert created["custom_fields"] == {"tier": "gold"}
    assert [c["address"] for c in created["channels"]] == ["lotte@example.com"]


async def test_the_stub_records_can_be_listed_and_cleared(client: httpx.AsyncClient) -> None:
    record = {"brand_id": MAIN, "primaryID": "crm-1", "email": "a@example.com"}
    await client.post("/_sandbox/omnidesk/crm", json=record)

    listed = (await client.get("/_sandbox/omnidesk/crm")).json()
    cleared = (await client.delete("/_sandbox/omnidesk/crm")).json()

    assert listed == [record]
    assert cleared == []


async def test_no_match_in_the_crm_changes_nothing(client: httpx.AsyncClient) -> None:
    response = await sync(client, brandID=MAIN, channel="email", address="nobody@example.com")

    assert response.json() == result("No customer found in the CRM.")
    assert (await client.get(BASE, headers=key())).json()["itemTotal"] == 30


async def test_a_brand_without_crm_is_400(client: httpx.AsyncClient) -> None:
    response = await sync(client, brandID=OTHER, channel="email", address="a@example.com")

    assert response.status_code == 400
    assert response.json() == error("No CRM lookup URL is configured for this brand.")


async def test_the_crm_can_be_switched_off(client: httpx.AsyncClient) -> None:
    await set_crm(client, MAIN, None)

    response = await sync(client, brandID=MAIN, channel="email", address="a@example.com")

    assert response.json() == error("No CRM lookup URL is configured for this brand.")


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"channel": "email", "address": "a@b.nl"}, error("Field 'brandID' is required.")),
        (
            {"brand_id": MAIN, "channel": "email", "address": "a@b.nl"},
            error("Field 'brandID' is required."),
        ),
        ({"brandID": MAIN, "address": "a@b.nl"}, error("Field 'channel' is required.")),
        (
            {"brandID": MAIN, "channel": "telephone", "address": "+316"},
            error("Field 'channel' must be phoneNumber or email."),
        ),
        ({"brandID": MAIN, "channel": "email"}, error("Field 'address' is required.")),
        (
            {"brandID": MAIN, "channel": "phoneNumber", "address": "0612"},
            pattern_error("address", TELEPHONE_PATTERN),
        ),
        (
            {"brandID": MAIN, "channel": "email", "address": "nope"},
            pattern_error("address", EMAIL_PATTERN),
        ),
        ({"brandID": 99, "channel": "email", "address": "a@b.nl"}, error("Brand not found.")),
    ],
)
async def test_bad_sync_fields_are_400(
    client: httpx.AsyncClient, fields: dict[str, object], expected: dict[str, str]
) -> None:
    response = await sync(client, **fields)

    assert response.status_code == 400
    assert response.json() == expected


# --- a real CRM over HTTP -------------------------------------------------------------------


class TinyCrm:
    """A merchant's CRM lookup hook: records what it was asked, answers a JSON array."""

    def __init__(self) -> None:
        self.calls: list[dict[str, str]] = []
        self.status = 200
        self.app = FastAPI()

        @self.app.get("/lookup")
        async def lookup(request: Request) -> JSONResponse:
            params = dict(request.query_params)
            self.calls.append(params)
            if self.status != 200:
                return JSONResponse({"error": "down"}, status_code=self.status)
            found: list[dict[str, Any]] = []
            if params.get("address") == "+31687654321":
                found.append(
                    {
                        "primaryID": "crm-7",
                        "firstname": "Milan",
                        "lastname": "Prins",
                        "custom_city": "Leiden",
                    }
                )
            return JSONResponse(found)


@pytest.fixture(scope="module")
def tiny_crm() -> Iterator[tuple[TinyCrm, str]]:
    crm = TinyCrm()
    with live_server(crm.app) as url:
        yield crm, url


async def test_sync_calls_a_real_crm_hook(
    client: httpx.AsyncClient, tiny_crm: tuple[TinyCrm, str]
) -> None:
    crm, url = tiny_crm
    crm.calls.clear()
    await set_crm(client, MAIN, f"{url}/lookup?token=merchant-secret")

    response = await sync(client, brandID=MAIN, channel="phoneNumber", address="+31687654321")

    assert crm.calls == [
        {"token": "merchant-secret", "channelAddressType": "phoneNumber", "address": "+31687654321"}
    ]
    created = await item(client, response.json()["id"])
    assert (created["external_primary_id"], created["lastname"]) == ("crm-7", "Prins")
    assert created["custom_fields"] == {"city": "Leiden"}
    assert [(c["channel_name"], c["address"]) for c in created["channels"]] == [
        ("telephone", "+31687654321")
    ]


async def test_an_empty_crm_answer_is_no_match(
    client: httpx.AsyncClient, tiny_crm: tuple[TinyCrm, str]
) -> None:
    _, url = tiny_crm
    await set_crm(client, MAIN, f"{url}/lookup")

    response = await sync(client, brandID=MAIN, channel="email", address="x@example.com")

    assert response.json() == result("No customer found in the CRM.")


async def test_a_failing_crm_is_400(
    client: httpx.AsyncClient, tiny_crm: tuple[TinyCrm, str]
) -> None:
    crm, url = tiny_crm
    await set_crm(client, MAIN, f"{url}/lookup")
    crm.status = 500
    try:
        response = await sync(client, brandID=MAIN, channel="email", address="x@example.com")
    finally:
        crm.status = 200

    assert response.status_code == 400
    assert response.json() == error("The CRM lookup failed.")


async def test_an_unreachable_crm_is_400(client: httpx.AsyncClient) -> None:
    await set_crm(client, MAIN, "http://127.0.0.1:9/lookup")

    response = await sync(client, brandID=MAIN, channel="email", address="x@example.com")

    assert response.json() == error("The CRM lookup failed.")

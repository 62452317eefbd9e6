"""Legacy v1 endpoints (2020 spec): v1 ``IntegrationState`` with positional effects.

The newest official SDK no longer has these operations, so only these tests cover them.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from sandbox.demo_world import DemoTenant
from sandbox.talon.campaigns import campaign_ids
from tests.sandbox.talon.helpers import CART, inventory, plain_400, status_400


async def _v1_session(client: httpx.AsyncClient, session_id: str, **body: Any) -> httpx.Response:
    return await client.put(f"/v1/customer_sessions/{session_id}", json=body)


async def test_v1_session_update_has_coupon_discounts_and_positional_effects(
    client: httpx.AsyncClient, tenant: DemoTenant
) -> None:
    ids = campaign_ids(tenant.talon_application_id)

    response = await _v1_session(
        client, "v1-s1", profileId="v1-customer", coupon="WELCOME10", cartItems=CART
    )

    body = response.json()
    assert response.status_code == 200
    assert set(body) == {"session", "profile", "event", "coupon", "loyalty"}
    ledger = body["loyalty"]["programs"][str(tenant.talon_application_id * 10 + 1)]["ledger"]
    assert (ledger["currentBalance"], ledger["tentativeCurrentBalance"]) == (0, 198)
    session = body["session"]
    assert (session["coupon"], session["referral"], session["state"]) == ("WELCOME10", "", "open")
    assert session["total"] == 198.9
    assert session["discounts"] == {
        "Welcome 10%": 19.89,
        "5 off from 100": 5.0,
        "20% off shoes": 35.98,
    }
    assert body["coupon"]["value"] == "WELCOME10"
    assert body["profile"]["integrationId"] == "v1-customer"
    effects = body["event"]["effects"]
    assert [ids.coupon, ids.coupon * 10 + 1, 0, ["setDiscount", "Welcome 10%", 19.89]] in effects
    assert [ids.coupon, ids.coupon * 10 + 1, 0, ["acceptCoupon", "WELCOME10"]] in effects
    assert [
        ids.sale,
        ids.sale * 10 + 1,
        1,
        ["setDiscountPerItem", "20% off shoes", 35.98, 0],
    ] in effects
    assert all(isinstance(e, list) and len(e) == 4 for e in effects)


async def test_v1_session_is_closed_by_sending_only_the_state(client: httpx.AsyncClient) -> None:
    await _v1_session(client, "v1-s2", profileId="v1-closer", cartItems=CART)

    closed = await _v1_session(client, "v1-s2", state="closed")

    assert closed.json()["session"]["state"] == "closed"
    assert closed.json()["event"]["type"] == "talon_session_closed"
    assert closed.json()["profile"]["closedSessions"] == 1
    assert len(closed.json()["session"]["cartItems"]) == 2


async def test_v1_anonymous_session_gets_a_placeholder_profile(client: httpx.AsyncClient) -> None:
    response = await _v1_session(client, "v1-anon", profileId="", cartItems=CART)

    profile = response.json()["profile"]
    assert (profile["integrationId"], profile["id"], profile["closedSessions"]) == ("", 0, 0)
    assert response.json()["session"]["firstSession"] is True


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"state": "partially_returned"}, plain_400("enum", pointer="/state")),
        ({"coupon": "C" * 101}, plain_400("maxLength", pointer="/coupon")),
        ({"attributes": {"Unknown": 1}}, plain_400("Unknown", pointer="/attributes/Unknown")),
        ({"total": "12"}, plain_400("Invalid type", pointer="/total")),
    ],
)
async def test_v1_session_errors(
    client: httpx.AsyncClient, body: dict[str, Any], expected: dict[str, Any]
) -> None:
    response = await _v1_session(client, "v1-bad", **body)

    assert response.status_code == 400
    assert response.json() == expected


async def test_v1_forbidden_transition(client: httpx.AsyncClient) -> None:
    await _v1_session(client, "v1-s3", profileId="v1-t", cartItems=CART, state="closed")

    response = await _v1_session(client, "v1-s3", state="open")

    assert response.json() == plain_400("Invalid session state", pointer="/state")


async def test_v1_profile_update(client: httpx.AsyncClient) -> None:
    created = await client.put(
        "/v1/customer_profiles/v1-prof", json={"attributes": {"City": "Delft"}}
    )
    dry = await client.put(
        "/v1/customer_profiles/v1-prof",
        json={"attributes": {"City": "Gouda"}},
        params={"dry": "true"},
    )
    stored = await inventory(client, "v1-prof", profile=True)
    unknown = await client.put("/v1/customer_profiles/v1-prof", json={"attributes": {"Shoe": 44}})

    body = created.json()
    assert created.status_code == 200
    assert body["profile"]["attributes"] == {"City": "Delft"}
    assert body["event"]["type"] == "talon_profile_created"
    assert body["session"]["integrationId"] == ""
    assert body["session"]["discounts"] == {}
    assert dry.json()["event"]["type"] == "talon_profile_updated"
    assert stored["profile"]["attributes"] == {"City": "Delft"}
    assert unknown.json() == status_400("Unknown", pointer="/attributes/Shoe")


async def test_v1_track_event(client: httpx.AsyncClient, tenant: DemoTenant) -> None:
    ids = campaign_ids(tenant.talon_application_id)
    program = tenant.talon_application_id * 10 + 1

    response = await client.post(
        "/v1/events",
        json={
            "profileId": "v1-eventer",
            "type": "newsletter_signup",
            "attributes": {"source": "popup"},
            "sessionId": "v1-ev-session",
        },
    )

    body = response.json()
    assert response.status_code == 201
    assert body["event"]["type"] == "newsletter_signup"
    assert body["event"]["attributes"] == {"source": "popup"}
    assert body["session"]["integrationId"] == "v1-ev-session"
    assert body["session"]["profileId"] == "v1-eventer"
    assert body["profile"]["integrationId"] == "v1-eventer"
    points = next(e for e in body["event"]["effects"] if e[3][0] == "addLoyaltyPoints")
    assert points[:3] == [ids.events, ids.events * 10 + 1, 0]
    assert points[3][:5] == ["addLoyaltyPoints", "Newsletter bonus", program, "", 50]
    assert body["loyalty"]["programs"][str(program)]["ledger"]["currentBalance"] == 50
    assert body["event"]["ledgerEntries"][0]["amount"] == 50


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            {"profileId": "other", "type": "app_opened", "attributes": {}, "sessionId": "v1-owned"},
            plain_400("Invalid value", pointer="/sessionId"),
        ),
        (
            {"profileId": "owner", "type": "nope", "attributes": {}, "sessionId": "v1-owned"},
            plain_400("Unknown", pointer="/type"),
        ),
        (
            {"profileId": "owner", "type": "app_opened", "attributes": {}},
            plain_400("required", pointer="/sessionId"),
        ),
        (
            {"profileId": "owner", "type": "app_opened", "sessionId": "v1-owned"},
            plain_400("required", pointer="/attributes"),
        ),
    ],
)
async def test_v1_track_event_errors(
    client: httpx.AsyncClient, body: dict[str, Any], expected: dict[str, Any]
) -> None:
    await _v1_session(client, "v1-owned", profileId="owner")

    response = await client.post("/v1/events", json=body)

    assert response.status_code == 400
    assert response.json() == expected


async def test_v1_track_event_dry_and_anonymous(client: httpx.AsyncClient) -> None:
    dry = await client.post(
        "/v1/events",
        params={"dry": "true"},
        json={
            "profileId": "v1-dry",
            "type": "app_opened",
            "attributes": {},
            "sessionId": "v1-dry-session",
        },
    )
    anonymous = await client.post(
        "/v1/events",
        json={"profileId": "", "type": "app_opened", "attributes": {}, "sessionId": "v1-anon-ev"},
    )

    assert dry.status_code == 201
    assert (await client.get("/v1/customer_profiles/v1-dry/inventory")).status_code == 404
    assert (await client.get("/v2/customer_sessions/v1-dry-session")).status_code == 404
    assert anonymous.status_code == 201
    assert anonymous.json()["profile"]["integrationId"] == ""
    assert anonymous.json()["event"]["effects"] == []

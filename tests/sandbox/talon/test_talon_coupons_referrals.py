"""Coupon reservations and referral codes (docs/vendors/talon.md §5.13, §5.15)."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from sandbox.demo_world import DemoTenant
from sandbox.talon.campaigns import campaign_ids
from tests.sandbox.talon.helpers import (
    CART,
    effects_of,
    inventory,
    not_found,
    plain_400,
    put_session,
    status_400,
)


async def test_soft_reservation_lifecycle(client: httpx.AsyncClient, tenant: DemoTenant) -> None:
    first, second = tenant.customers[15].customer_id, tenant.customers[16].customer_id
    body = {"integrationIDs": [first, second]}

    created = await client.post("/v1/coupon_reservations/WELCOME10", json=body)
    listed = await client.get("/v1/coupon_reservations/customerprofiles/WELCOME10")
    in_wallet = await inventory(client, first, coupons=True)
    deleted = await client.request(
        "DELETE", "/v1/coupon_reservations/WELCOME10", json={"integrationIDs": [first]}
    )
    after = await client.get("/v1/coupon_reservations/customerprofiles/WELCOME10")

    assert created.status_code == 201
    assert created.json()["value"] == "WELCOME10"
    assert created.json()["reservation"] is True
    holders = [p["integrationId"] for p in listed.json()["data"]]
    assert {first, second} <= set(holders)
    assert listed.json()["totalResultSize"] == len(holders)
    assert "WELCOME10" in [c["value"] for c in in_wallet["coupons"]]
    assert deleted.status_code == 204
    assert deleted.content == b""
    remaining = [p["integrationId"] for p in after.json()["data"]]
    assert first not in remaining
    assert second in remaining


async def test_soft_reserved_coupons_stay_usable_by_anyone(
    client: httpx.AsyncClient, tenant: DemoTenant
) -> None:
    owner = tenant.customers[1].customer_id  # demo: a soft-reserved welcome coupon
    code = next(
        c["value"]
        for c in (await inventory(client, owner, coupons=True))["coupons"]
        if c["reservation"]
    )

    response = await put_session(
        client,
        "soft-1",
        profileId=tenant.customers[17].customer_id,
        cartItems=CART,
        couponCodes=[code],
    )

    assert effects_of(response.json(), "acceptCoupon")[0]["props"] == {"value": code}


async def test_reserved_customers_include_hard_reservations(
    client: httpx.AsyncClient, tenant: DemoTenant
) -> None:
    owner = tenant.customers[2].customer_id
    code = next(
        c["value"]
        for c in (await inventory(client, owner, coupons=True))["coupons"]
        if not c["reservation"]
    )
    await client.post(
        f"/v1/coupon_reservations/{code}",
        json={"integrationIDs": [tenant.customers[3].customer_id]},
    )

    listed = await client.get(f"/v1/coupon_reservations/customerprofiles/{code}")

    assert [p["integrationId"] for p in listed.json()["data"]] == [
        owner,
        tenant.customers[3].customer_id,
    ]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/v1/coupon_reservations/NOT-A-COUPON"),
        ("DELETE", "/v1/coupon_reservations/NOT-A-COUPON"),
        ("GET", "/v1/coupon_reservations/customerprofiles/NOT-A-COUPON"),
    ],
)
async def test_unknown_coupon_is_404(client: httpx.AsyncClient, method: str, path: str) -> None:
    body = {"integrationIDs": ["x"]} if method != "GET" else None

    response = await client.request(method, path, json=body)

    assert response.status_code == 404
    assert response.json() == not_found("coupon")


async def test_reservation_body_is_validated(client: httpx.AsyncClient) -> None:
    too_many = await client.post(
        "/v1/coupon_reservations/WELCOME10", json={"integrationIDs": [f"p{i}" for i in range(1001)]}
    )
    lowercase = await client.post(
        "/v1/coupon_reservations/WELCOME10", json={"integrationIds": ["p1"]}
    )

    assert too_many.json() == status_400("maxItems", pointer="/integrationIDs")
    assert lowercase.json() == status_400("required", pointer="/integrationIDs")


async def test_encoded_coupon_values_in_the_path(
    client: httpx.AsyncClient, app: FastAPI, tenant: DemoTenant
) -> None:
    store = app.state.talon.store.apps[tenant.talon_application_id]
    store.coupons["SUMMER25%OFF/X"] = replace(
        store.coupons["WELCOME10"], value="SUMMER25%OFF/X", id=99999
    )

    response = await client.post(
        "/v1/coupon_reservations/SUMMER25%25OFF%2FX", json={"integrationIDs": ["p1"]}
    )

    assert response.status_code == 201
    assert response.json()["value"] == "SUMMER25%OFF/X"


async def test_create_referral(client: httpx.AsyncClient, tenant: DemoTenant) -> None:
    campaign = campaign_ids(tenant.talon_application_id).referral

    response = await client.post(
        "/v1/referrals",
        json={
            "campaignId": campaign,
            "advocateProfileIntegrationId": "advocate-1",
            "friendProfileIntegrationId": "friend-1",
            "usageLimit": 3,
            "expiryDate": "2030-01-01T00:00:00Z",
            "attributes": {"channel": "email"},
        },
    )
    default_limit = await client.post(
        "/v1/referrals", json={"campaignId": campaign, "advocateProfileIntegrationId": "advocate-2"}
    )

    body = response.json()
    assert response.status_code == 201
    assert re.fullmatch(r"REF-[A-Z0-9]{4}-[A-Z0-9]{4}", body["code"])
    assert (body["campaignId"], body["usageLimit"], body["usageCounter"]) == (campaign, 3, 0)
    assert body["friendProfileIntegrationId"] == "friend-1"
    assert body["expiryDate"] == "2030-01-01T00:00:00Z"
    assert body["attributes"] == {"channel": "email"}
    assert default_limit.json()["usageLimit"] == 1


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            {"campaignId": 424242, "advocateProfileIntegrationId": "a"},
            plain_400("Not found", pointer="/campaignId"),
        ),
        (
            {"campaignId": "1", "advocateProfileIntegrationId": "a"},
            plain_400("Invalid type", pointer="/campaignId"),
        ),
        ({"campaignId": 1}, plain_400("required", pointer="/advocateProfileIntegrationId")),
        (
            {"campaignId": 1, "advocateProfileIntegrationId": "a", "usageLimit": 1000000},
            plain_400("maximum", pointer="/usageLimit"),
        ),
        (
            {"campaignId": 1, "advocateProfileIntegrationId": "a", "expiryDate": "tomorrow"},
            plain_400("Invalid type", pointer="/expiryDate"),
        ),
    ],
)
async def test_create_referral_errors(
    client: httpx.AsyncClient, body: dict[str, Any], expected: dict[str, Any]
) -> None:
    response = await client.post("/v1/referrals", json=body)

    assert response.status_code == 400
    assert response.json() == expected


async def test_referral_needs_a_referral_campaign(
    client: httpx.AsyncClient, app: FastAPI, tenant: DemoTenant
) -> None:
    coupon_campaign = campaign_ids(tenant.talon_application_id).coupon
    body = {"campaignId": coupon_campaign, "advocateProfileIntegrationId": "a"}

    rejected = await client.post("/v1/referrals", json=body)
    app.state.talon.options = app.state.talon.options.model_copy(
        update={"check_referral_campaign": False}
    )
    accepted = await client.post("/v1/referrals", json=body)

    assert rejected.json() == plain_400("Invalid value", pointer="/campaignId")
    assert accepted.status_code == 201
    assert re.fullmatch(r"[A-Z0-9]{10}", accepted.json()["code"])


async def test_referrals_for_multiple_advocates(
    client: httpx.AsyncClient, tenant: DemoTenant
) -> None:
    campaign = campaign_ids(tenant.talon_application_id).referral
    body = {
        "campaignId": campaign,
        "usageLimit": 2,
        "advocateProfileIntegrationIds": ["adv-a", "adv-b", "adv-c"],
        "referralPattern": "FR-###",
        "validCharacters": ["X", "Y"],
    }

    silent = await client.post("/v1/referrals_for_multiple_advocates", json=body)
    loud = await client.post(
        "/v1/referrals_for_multiple_advocates", json=body, params={"silent": "no"}
    )

    assert silent.status_code == 204
    assert silent.content == b""
    data = loud.json()["data"]
    assert loud.status_code == 201
    assert loud.json()["totalResultSize"] == 3
    assert [r["advocateProfileIntegrationId"] for r in data] == ["adv-a", "adv-b", "adv-c"]
    assert all(re.fullmatch(r"FR-[XY]{3}", r["code"]) and r["usageLimit"] == 2 for r in data)
    assert len({r["batchId"] for r in data}) == 1
    assert len({r["code"] for r in data}) == 3


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            {"advocateProfileIntegrationIds": []},
            status_400("minItems", pointer="/advocateProfileIntegrationIds"),
        ),
        (
            {"advocateProfileIntegrationIds": [f"a{i}" for i in range(1001)]},
            status_400("maxItems", pointer="/advocateProfileIntegrationIds"),
        ),
        ({"usageLimit": None}, status_400("Invalid type", pointer="/usageLimit")),
        ({"referralPattern": "AB"}, status_400("minLength", pointer="/referralPattern")),
        ({"referralPattern": "FIXED"}, status_400("Invalid value", pointer="/referralPattern")),
        (
            {"referralPattern": "#", "validCharacters": ["Z"]},
            status_400("minLength", pointer="/referralPattern"),
        ),
        (
            {"referralPattern": "Q-##", "validCharacters": ["Z"]},
            status_400("Invalid value", pointer="/referralPattern"),
        ),
    ],
)
async def test_referrals_for_multiple_advocates_errors(
    client: httpx.AsyncClient, tenant: DemoTenant, change: dict[str, Any], expected: dict[str, Any]
) -> None:
    body = {
        "campaignId": campaign_ids(tenant.talon_application_id).referral,
        "usageLimit": 1,
        "advocateProfileIntegrationIds": ["a", "b"],
    }
    body.update(change)

    response = await client.post(
        "/v1/referrals_for_multiple_advocates", json=body, params={"silent": "no"}
    )

    assert response.status_code == 400
    assert response.json() == expected

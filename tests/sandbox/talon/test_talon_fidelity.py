"""Fidelity choices of the Talon.One sandbox (docs/vendors/talon.md §5.13, §5.15, §8): short
referral patterns, reservations for ids with no profile, a null bulk list, trailing slashes."""

from __future__ import annotations

import re

import httpx
from fastapi import FastAPI

from sandbox.common.vendor_app import VendorRuntime
from sandbox.demo_world import DemoTenant, DemoWorld
from sandbox.talon.app import create_app
from sandbox.talon.campaigns import campaign_ids
from sandbox.talon.options import TalonSandboxOptions
from tests.sandbox.talon.conftest import BASE_URL, auth
from tests.sandbox.talon.helpers import not_found, status_400


def _client(world: DemoWorld, tenant: DemoTenant, **options: object) -> httpx.AsyncClient:
    app: FastAPI = create_app(
        world,
        runtime=VendorRuntime("talon"),
        options=TalonSandboxOptions.model_validate(options),
    )
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url=BASE_URL, headers=auth(tenant)
    )


def _referrals(tenant: DemoTenant, pattern: str) -> dict[str, object]:
    return {
        "campaignId": campaign_ids(tenant.talon_application_id).referral,
        "usageLimit": 1,
        "advocateProfileIntegrationIds": ["adv-a", "adv-b"],
        "referralPattern": pattern,
    }


async def test_a_pattern_shorter_than_a_code_is_refused_by_default(
    client: httpx.AsyncClient, tenant: DemoTenant
) -> None:
    short = await client.post(
        "/v1/referrals_for_multiple_advocates",
        json=_referrals(tenant, "AB#"),
        params={"silent": "no"},
    )
    four = await client.post(
        "/v1/referrals_for_multiple_advocates",
        json=_referrals(tenant, "AB##"),
        params={"silent": "no"},
    )

    assert short.status_code == 400
    assert short.json() == status_400("minLength", pointer="/referralPattern")
    assert four.status_code == 201
    assert all(len(r["code"]) == 4 for r in four.json()["data"])


async def test_a_short_pattern_can_be_padded_instead(world: DemoWorld, tenant: DemoTenant) -> None:
    async with _client(world, tenant, short_referral_codes="pad") as client:
        response = await client.post(
            "/v1/referrals_for_multiple_advocates",
            json=_referrals(tenant, "AB#"),
            params={"silent": "no"},
        )

    assert response.status_code == 201
    codes = [r["code"] for r in response.json()["data"]]
    assert all(re.fullmatch(r"AB[A-Z0-9]{2}", code) for code in codes), codes


async def test_a_reservation_for_an_id_with_no_profile_is_listed(
    client: httpx.AsyncClient,
) -> None:
    created = await client.post(
        "/v1/coupon_reservations/WELCOME10", json={"integrationIDs": ["nobody-yet"]}
    )
    listed = await client.get("/v1/coupon_reservations/customerprofiles/WELCOME10")
    profile = await client.get(
        "/v1/customer_profiles/nobody-yet/inventory", params={"coupons": "true"}
    )

    assert created.status_code == 201
    assert "nobody-yet" in [p["integrationId"] for p in listed.json()["data"]]
    assert "WELCOME10" in [c["value"] for c in profile.json()["coupons"]]


async def test_a_reservation_for_an_id_with_no_profile_can_be_refused(
    world: DemoWorld, tenant: DemoTenant
) -> None:
    async with _client(world, tenant, reservation_for_unknown_profile="reject") as client:
        refused = await client.post(
            "/v1/coupon_reservations/WELCOME10", json={"integrationIDs": ["nobody-yet"]}
        )
        listed = await client.get("/v1/coupon_reservations/customerprofiles/WELCOME10")

    assert refused.status_code == 404
    assert refused.json() == not_found("customerProfile")
    assert "nobody-yet" not in [p["integrationId"] for p in listed.json()["data"]]


async def test_a_null_profile_list_is_a_400(client: httpx.AsyncClient) -> None:
    null = await client.put("/v2/customer_profiles", json={"customerProfiles": None})
    left_out = await client.put("/v2/customer_profiles", json={})

    assert null.status_code == 400
    assert null.json() == status_400("Invalid type", pointer="/customerProfiles")
    assert left_out.status_code == 204


async def test_a_trailing_slash_is_a_404_not_a_redirect(
    client: httpx.AsyncClient, anon: httpx.AsyncClient
) -> None:
    bulk = await client.put("/v2/customer_profiles/", json={"customerProfiles": []})
    anonymous = await anon.get("/v2/customer_sessions/s-1/")

    assert bulk.status_code == 404
    assert bulk.json()["StatusCode"] == 404
    assert "location" not in bulk.headers
    assert anonymous.status_code == 404
    assert anonymous.json() == {"message": "Not Found", "errors": [], "StatusCode": 404}

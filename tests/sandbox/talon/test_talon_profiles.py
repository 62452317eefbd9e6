"""Customer profiles, custom events, inventory and personal data deletion."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from sandbox.demo_world import DemoTenant
from tests.sandbox.talon.helpers import CART, inventory, not_found, put_session, status_400


async def _profile(
    client: httpx.AsyncClient, pid: str, body: dict[str, Any], **params: str
) -> httpx.Response:
    return await client.put(f"/v2/customer_profiles/{pid}", json=body, params=params)


async def test_profile_update_without_rule_engine(
    client: httpx.AsyncClient, tenant: DemoTenant
) -> None:
    customer = tenant.customers[0].customer_id
    before = (await inventory(client, customer, profile=True))["profile"]

    response = await _profile(
        client, customer, {"attributes": {"City": "Leiden", "Newsletter": True}}
    )
    after = (await inventory(client, customer, profile=True))["profile"]

    assert response.status_code == 200
    assert response.json() == {"effects": [], "createdCoupons": [], "createdReferrals": []}
    assert after["attributes"] == {**before["attributes"], "City": "Leiden", "Newsletter": True}
    assert after["lastActivity"] == before["lastActivity"]


async def test_profile_update_with_rule_engine(client: httpx.AsyncClient) -> None:
    content = {
        "responseContent": ["customerProfile", "event", "triggeredCampaigns", "ruleFailureReasons"]
    }

    created = await _profile(
        client, "rule-prof", {"attributes": {"Tier": "gold"}, **content}, runRuleEngine="true"
    )
    updated = await _profile(
        client, "rule-prof", {"attributes": {"Tier": "silver"}, **content}, runRuleEngine="true"
    )

    assert created.json()["event"]["type"] == "talon_profile_created"
    assert created.json()["event"]["attributes"] == {"Tier": "gold"}
    assert updated.json()["event"]["type"] == "talon_profile_updated"
    assert updated.json()["customerProfile"]["attributes"] == {"Tier": "silver"}
    assert updated.json()["triggeredCampaigns"] == []
    assert (
        created.json()["customerProfile"]["lastActivity"]
        < updated.json()["customerProfile"]["lastActivity"]
    )


async def test_response_content_needs_the_rule_engine(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    body = {"responseContent": ["customerProfile"]}

    rejected = await _profile(client, "rc-prof", body)
    app.state.talon.options = app.state.talon.options.model_copy(
        update={"response_content_without_rule_engine": "honour"}
    )
    honoured = await _profile(client, "rc-prof", body)
    app.state.talon.options = app.state.talon.options.model_copy(
        update={"response_content_without_rule_engine": "ignore"}
    )
    ignored = await _profile(client, "rc-prof", body)

    assert rejected.status_code == 400
    assert rejected.json() == status_400("Invalid value", pointer="/responseContent")
    assert honoured.json()["customerProfile"]["integrationId"] == "rc-prof"
    assert "customerProfile" not in ignored.json()


async def test_dry_profile_update_persists_nothing_only_with_the_rule_engine(
    client: httpx.AsyncClient,
) -> None:
    dry_ruled = await _profile(
        client, "dry-prof", {"attributes": {"Tier": "gold"}}, runRuleEngine="true", dry="true"
    )
    missing = await client.get("/v1/customer_profiles/dry-prof/inventory")
    dry_plain = await _profile(client, "dry-prof", {"attributes": {"Tier": "gold"}}, dry="true")
    stored = await inventory(client, "dry-prof", profile=True)

    assert dry_ruled.status_code == 200
    assert missing.status_code == 404
    assert dry_plain.status_code == 200
    assert stored["profile"]["attributes"] == {"Tier": "gold"}


async def test_audience_changes_on_a_profile_update(
    client: httpx.AsyncClient, tenant: DemoTenant
) -> None:
    audience = (await client.post("/v2/audiences", json={"name": "Profile changes"})).json()["id"]
    content = {"responseContent": ["customerProfile"]}

    joined = await _profile(
        client,
        "aud-prof",
        {"audiencesChanges": {"adds": [audience], "deletes": []}, **content},
        runRuleEngine="true",
    )
    left = await _profile(
        client,
        "aud-prof",
        {"audiencesChanges": {"adds": [], "deletes": [audience]}, **content},
        runRuleEngine="true",
    )
    unknown = await _profile(
        client, "aud-prof", {"audiencesChanges": {"adds": [999999], "deletes": []}}
    )
    incomplete = await _profile(client, "aud-prof", {"audiencesChanges": {"adds": [audience]}})

    assert joined.json()["customerProfile"]["audienceMemberships"] == [
        {"id": audience, "name": "Profile changes"}
    ]
    assert left.json()["customerProfile"]["audienceMemberships"] == []
    assert unknown.json() == status_400("Not found", pointer="/audiencesChanges/adds/0")
    assert incomplete.json() == status_400("required", pointer="/audiencesChanges/deletes")


async def test_profile_attributes_must_be_defined(client: httpx.AsyncClient) -> None:
    unknown = await _profile(client, "attr-prof", {"attributes": {"ShoeSize": 44}})
    mistyped = await _profile(client, "attr-prof", {"attributes": {"BirthDate": "yesterday"}})

    assert unknown.json() == status_400("Unknown", pointer="/attributes/ShoeSize")
    assert mistyped.json() == status_400("Invalid type", pointer="/attributes/BirthDate")


async def test_bulk_profile_update(client: httpx.AsyncClient) -> None:
    body = {
        "customerProfiles": [
            {"integrationId": "bulk-1", "attributes": {"City": "Delft"}},
            {"integrationId": "bulk-2"},
        ]
    }

    silent = await client.put("/v2/customer_profiles", json=body)
    loud = await client.put("/v2/customer_profiles", json=body, params={"silent": "no"})

    assert silent.status_code == 204
    assert silent.content == b""
    states = loud.json()["integrationStates"]
    assert loud.status_code == 200
    assert [s["customerProfile"]["integrationId"] for s in states] == ["bulk-1", "bulk-2"]
    assert all(
        s["effects"] == [] and s["createdCoupons"] == [] and s["createdReferrals"] == []
        for s in states
    )
    assert (await inventory(client, "bulk-1", profile=True))["profile"]["attributes"] == {
        "City": "Delft"
    }


@pytest.mark.parametrize(
    ("body", "params", "expected"),
    [
        (
            {"customerProfiles": [{"integrationId": f"p{i}"} for i in range(1001)]},
            {},
            status_400("maxItems", pointer="/customerProfiles"),
        ),
        (
            {"customerProfiles": [{"attributes": {}}]},
            {},
            status_400("required", pointer="/customerProfiles/0/integrationId"),
        ),
        (
            {
                "customerProfiles": [
                    {"integrationId": "a"},
                    {"integrationId": "b", "attributes": {"Tier": 3}},
                ]
            },
            {},
            status_400("Invalid type", pointer="/customerProfiles/1/attributes/Tier"),
        ),
        ({"customerProfiles": []}, {"silent": "maybe"}, status_400("enum", parameter="silent")),
    ],
)
async def test_bulk_profile_update_errors(
    client: httpx.AsyncClient,
    body: dict[str, Any],
    params: dict[str, str],
    expected: dict[str, Any],
) -> None:
    response = await client.put("/v2/customer_profiles", json=body, params=params)

    assert response.status_code == 400
    assert response.json() == expected


async def test_bulk_of_exactly_1000_profiles_is_fine(client: httpx.AsyncClient) -> None:
    body = {"customerProfiles": [{"integrationId": f"thousand-{i}"} for i in range(1000)]}

    response = await client.put("/v2/customer_profiles", json=body)

    assert response.status_code == 204


async def test_track_event_v2(client: httpx.AsyncClient) -> None:
    event = {
        "profileId": "event-newbie",
        "type": "product_viewed",
        "attributes": {"sku": "X"},
        "responseContent": ["event", "customerProfile"],
    }

    silent = await client.post("/v2/events", json=event)
    loud = await client.post("/v2/events", json=event, params={"silent": "no"})

    assert silent.status_code == 204
    assert silent.content == b""
    body = loud.json()
    assert loud.status_code == 200
    assert body["event"]["type"] == "product_viewed"
    assert body["event"]["attributes"] == {"sku": "X"}
    assert body["customerProfile"]["integrationId"] == "event-newbie"
    assert body["effects"] == []


@pytest.mark.parametrize(
    ("event", "expected"),
    [
        ({"profileId": "p", "type": "made_up"}, status_400("Unknown", pointer="/type")),
        (
            {"profileId": "p", "type": "talon_session_closed"},
            status_400("Reserved", pointer="/type"),
        ),
        ({"type": "app_opened"}, status_400("required", pointer="/profileId")),
        ({"profileId": "p"}, status_400("required", pointer="/type")),
        ({"profileId": "p", "type": ""}, status_400("minLength", pointer="/type")),
        (
            {"profileId": "p", "type": "app_opened", "responseContent": ["coupons"]},
            status_400("enum", pointer="/responseContent/0"),
        ),
    ],
)
async def test_track_event_v2_errors(
    client: httpx.AsyncClient, event: dict[str, Any], expected: dict[str, Any]
) -> None:
    response = await client.post("/v2/events", json=event)

    assert response.status_code == 400
    assert response.json() == expected


async def test_dry_event_persists_nothing(client: httpx.AsyncClient) -> None:
    event = {"profileId": "dry-event-newbie", "type": "newsletter_signup"}

    response = await client.post("/v2/events", json=event, params={"dry": "true", "silent": "no"})
    missing = await client.get("/v1/customer_profiles/dry-event-newbie/inventory")

    assert response.json()["effects"][0]["effectType"] == "addLoyaltyPoints"
    assert missing.status_code == 404


async def test_delete_customer_data(
    client: httpx.AsyncClient, tenant: DemoTenant, app: FastAPI
) -> None:
    customer = tenant.customers[0].customer_id
    await put_session(
        client, "gdpr-1", profileId=customer, cartItems=CART, attributes={"Channel": "web"}
    )

    deleted = await client.delete(f"/v1/customer_data/{customer}")
    inv = await inventory(client, customer, profile=True, referrals=True)
    session = (await client.get("/v2/customer_sessions/gdpr-1")).json()["customerSession"]
    unknown = await client.delete("/v1/customer_data/nobody-at-all")

    assert deleted.status_code == 204
    assert deleted.content == b""
    assert inv["profile"]["attributes"] == {}
    assert session["attributes"] == {}
    assert all(r["attributes"] == {} for r in inv["referrals"])
    assert unknown.status_code == 404
    assert unknown.json() == not_found("customerProfile")


async def test_delete_customer_data_can_remove_the_profile(
    client: httpx.AsyncClient, tenant: DemoTenant, app: FastAPI
) -> None:
    app.state.talon.options = app.state.talon.options.model_copy(
        update={"keep_profile_on_data_deletion": False}
    )
    customer = tenant.customers[1].customer_id

    await client.delete(f"/v1/customer_data/{customer}")

    assert (await client.get(f"/v1/customer_profiles/{customer}/inventory")).status_code == 404


async def test_inventory_flags(client: httpx.AsyncClient, tenant: DemoTenant) -> None:
    customer = tenant.customers[0].customer_id

    nothing = await inventory(client, customer)
    everything = await inventory(
        client, customer, profile=True, referrals=True, coupons=True, loyalty=True, giveaways=True
    )
    unknown = await client.get("/v1/customer_profiles/nobody/inventory")

    assert nothing == {}
    assert set(everything) == {"profile", "referrals", "coupons", "loyalty", "giveaways"}
    assert unknown.status_code == 404
    assert unknown.json() == not_found("customerProfile")


async def test_inventory_coupon_states(client: httpx.AsyncClient, tenant: DemoTenant) -> None:
    customers = tenant.customers
    holder = customers[20].customer_id
    for code in ("FUTURE-2030", "PAUSED-5OFF", "WELCOME10"):
        await client.post(f"/v1/coupon_reservations/{code}", json={"integrationIDs": [holder]})

    def states(inv: dict[str, Any]) -> set[str]:
        return {c["state"] for c in inv["coupons"]}

    reserved = await inventory(client, holder, coupons=True)
    used = await inventory(client, customers[4].customer_id, coupons=True)  # demo: a used coupon
    expired = await inventory(
        client, customers[5].customer_id, coupons=True
    )  # demo: an expired one
    hard = await inventory(
        client, customers[2].customer_id, coupons=True
    )  # demo: a hard reservation

    by_value = {c["value"]: c["state"] for c in reserved["coupons"]}
    assert by_value == {"FUTURE-2030": "pending", "PAUSED-5OFF": "disabled", "WELCOME10": "active"}
    assert "used" in states(used)
    assert "expired" in states(expired)
    assert any(c["reservation"] is False and c["state"] == "active" for c in hard["coupons"])
    assert all(c["profileRedemptionCount"] == 0 for c in reserved["coupons"])


async def test_inventory_loyalty_projection(client: httpx.AsyncClient, tenant: DemoTenant) -> None:
    customer = tenant.customers[3].customer_id
    await put_session(client, "proj-1", profileId=customer, cartItems=CART, state="closed")
    end = datetime.now(UTC) + timedelta(days=10)

    inv = await inventory(client, customer, loyalty=True, loyaltyProjectionEndDate=end.isoformat())
    too_far = await client.get(
        f"/v1/customer_profiles/{customer}/inventory",
        params={
            "loyalty": "true",
            "loyaltyProjectionEndDate": (datetime.now(UTC) + timedelta(days=40)).isoformat(),
        },
    )
    past = await client.get(
        f"/v1/customer_profiles/{customer}/inventory",
        params={"loyaltyProjectionEndDate": "2020-01-01T00:00:00Z"},
    )
    garbage = await client.get(
        f"/v1/customer_profiles/{customer}/inventory", params={"loyaltyProjectionEndDate": "soon"}
    )

    ledger = next(iter(inv["loyalty"]["programs"].values()))["ledger"]
    projection = ledger["projection"]
    assert 9 <= len(projection["projections"]) <= 10
    last = projection["projections"][-1]["projectedBalance"]
    assert (
        last
        == ledger["currentBalance"]
        - projection["totalExpiringPoints"]
        + projection["totalActivatingPoints"]
    )
    assert too_far.status_code == 400
    assert too_far.json() == status_400("Invalid value", parameter="loyaltyProjectionEndDate")
    assert past.json() == status_400("Invalid value", parameter="loyaltyProjectionEndDate")
    assert garbage.json() == status_400("Invalid type", parameter="loyaltyProjectionEndDate")

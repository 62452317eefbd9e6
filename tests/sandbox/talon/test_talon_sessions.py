"""Customer sessions: create on first use, merging, the state machine, events, dry runs."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from sandbox.demo_world import DemoTenant
from tests.sandbox.talon.helpers import (
    ALL_CONTENT,
    CART,
    CART_TOTAL,
    effects_of,
    inventory,
    not_found,
    plain_400,
    put_session,
)


async def test_first_update_creates_the_session_and_an_empty_profile(
    client: httpx.AsyncClient,
) -> None:
    response = await put_session(
        client, "new-1", content=ALL_CONTENT, profileId="brand-new-customer", cartItems=CART
    )

    body = response.json()
    assert response.status_code == 200
    session = body["customerSession"]
    assert session["integrationId"] == "new-1"
    assert session["state"] == "open"
    assert session["firstSession"] is True
    assert session["updateCount"] == 1
    assert [i["position"] for i in session["cartItems"]] == [0, 1]
    assert session["cartItemTotal"] == CART_TOTAL
    assert session["total"] == CART_TOTAL
    profile = body["customerProfile"]
    assert profile["integrationId"] == "brand-new-customer"
    assert profile["attributes"] == {}
    assert (profile["closedSessions"], profile["totalSales"]) == (0, 0.0)
    assert body["event"]["type"] == "talon_session_created"
    assert body["createdCoupons"] == []
    assert body["createdReferrals"] == []


async def test_anonymous_session_has_no_profile(client: httpx.AsyncClient) -> None:
    response = await put_session(
        client, "anon-1", content=ALL_CONTENT, profileId="", cartItems=CART
    )

    body = response.json()
    assert body["customerSession"]["profileId"] == ""
    assert body["customerSession"]["firstSession"] is True
    assert "customerProfile" not in body
    assert effects_of(body, "addLoyaltyPoints") == []


async def test_a_known_customers_session_is_not_their_first(
    client: httpx.AsyncClient, tenant: DemoTenant
) -> None:
    customer = tenant.customers[1].customer_id  # has closed sessions in the demo history

    response = await put_session(client, "known-1", content=["customerSession"], profileId=customer)

    assert response.json()["customerSession"]["firstSession"] is False


async def test_updates_are_merged_into_the_stored_session(client: httpx.AsyncClient) -> None:
    await put_session(
        client,
        "merge-1",
        profileId="merge-customer",
        cartItems=CART,
        couponCodes=["WELCOME10"],
        referralCode="SOMECODE",
        attributes={"Channel": "web"},
    )

    kept = await put_session(
        client, "merge-1", content=["customerSession"], attributes={"Channel": "app"}
    )
    cleared = await put_session(
        client,
        "merge-1",
        content=["customerSession"],
        couponCodes=[],
        referralCode="",
        cartItems=CART[1:],
    )

    kept_session = kept.json()["customerSession"]
    assert kept_session["couponCodes"] == ["WELCOME10"]
    assert kept_session["referralCode"] == "SOMECODE"
    assert kept_session["attributes"] == {"Channel": "app"}
    assert len(kept_session["cartItems"]) == 2
    assert kept_session["updateCount"] == 2
    cleared_session = cleared.json()["customerSession"]
    assert cleared_session["couponCodes"] == []
    assert cleared_session["referralCode"] == ""
    assert [i["sku"] for i in cleared_session["cartItems"]] == ["ACC-CAP-02"]
    assert cleared_session["cartItems"][0]["position"] == 0
    assert cleared_session["attributes"] == {"Channel": "app"}


@pytest.mark.parametrize(
    ("steps", "events"),
    [
        (
            ["open", "open", "closed"],
            ["talon_session_created", "talon_session_updated", "talon_session_closed"],
        ),
        (["open", "cancelled"], ["talon_session_created", "talon_session_cancelled"]),
        (
            ["open", "closed", "cancelled"],
            ["talon_session_created", "talon_session_closed", "talon_session_revoked"],
        ),
        (["closed", "cancelled"], ["talon_session_closed", "talon_session_revoked"]),
        (
            ["closed", "return", "cancelled"],
            ["talon_session_closed", "talon_session_partially_returned", "talon_session_revoked"],
        ),
        (
            ["closed", "return", "return"],
            [
                "talon_session_closed",
                "talon_session_partially_returned",
                "talon_session_partially_returned",
            ],
        ),
    ],
)
async def test_allowed_state_transitions_and_their_events(
    client: httpx.AsyncClient, steps: list[str], events: list[str]
) -> None:
    seen = []
    for n, step in enumerate(steps):
        if step == "return":
            response = await client.post(
                "/v2/customer_sessions/sm-1/returns",
                json={
                    "return": {"returnedCartItems": [{"position": n - 1}]},
                    "responseContent": ["event"],
                },
            )
        else:
            response = await put_session(
                client,
                "sm-1",
                content=["event", "customerSession"],
                profileId="sm-customer",
                cartItems=CART,
                state=step,
            )
        assert response.status_code == 200, response.text
        seen.append(response.json()["event"]["type"])

    assert seen == events


@pytest.mark.parametrize(
    ("steps", "forbidden"),
    [
        ([], "cancelled"),
        ([], "partially_returned"),
        (["closed"], "open"),
        (["closed"], "closed"),
        (["closed"], "partially_returned"),
        (["open", "cancelled"], "open"),
        (["open", "cancelled"], "closed"),
        (["open", "cancelled"], "cancelled"),
    ],
)
async def test_forbidden_state_transitions_are_400(
    client: httpx.AsyncClient, steps: list[str], forbidden: str
) -> None:
    for step in steps:
        assert (
            await put_session(
                client, "sm-bad", profileId="sm-bad-customer", cartItems=CART, state=step
            )
        ).status_code == 200

    response = await put_session(
        client, "sm-bad", profileId="sm-bad-customer", cartItems=CART, state=forbidden
    )

    assert response.status_code == 400
    assert response.json() == plain_400("Invalid session state", pointer="/customerSession/state")


async def test_closing_counts_the_sale_and_redeems_the_coupon(
    client: httpx.AsyncClient, tenant: DemoTenant
) -> None:
    customer = tenant.customers[2].customer_id
    before = await inventory(client, customer, profile=True, coupons=True)

    response = await put_session(
        client,
        "close-1",
        content=ALL_CONTENT,
        profileId=customer,
        cartItems=CART,
        couponCodes=["WELCOME10"],
        state="closed",
    )
    after = await inventory(client, customer, profile=True, coupons=True)
    reserved = await client.get("/v1/coupon_reservations/customerprofiles/WELCOME10")

    body = response.json()
    assert body["customerProfile"]["closedSessions"] == before["profile"]["closedSessions"] + 1
    assert after["profile"]["totalSales"] == pytest.approx(
        before["profile"]["totalSales"] + CART_TOTAL
    )
    assert body["coupons"][0]["usageCounter"] == 1
    assert body["coupons"][0]["profileRedemptionCount"] == 1
    welcome = next(c for c in after["coupons"] if c["value"] == "WELCOME10")
    assert welcome["state"] == "used"
    assert customer in [p["integrationId"] for p in reserved.json()["data"]]
    assert {"acceptCoupon", "setDiscount"} <= {e["effectType"] for e in body["effects"]}


async def test_cancelling_an_open_session_leaves_no_trace(
    client: httpx.AsyncClient, tenant: DemoTenant
) -> None:
    customer = tenant.customers[4].customer_id
    before = await inventory(client, customer, profile=True, loyalty=True)
    await put_session(
        client, "cancel-open", profileId=customer, cartItems=CART, couponCodes=["WELCOME10"]
    )

    response = await put_session(
        client, "cancel-open", content=["customerSession"], state="cancelled"
    )
    after = await inventory(client, customer, profile=True, loyalty=True)
    stored = await client.get("/v2/customer_sessions/cancel-open")

    assert response.json()["effects"] == []
    assert stored.json()["effects"] == []
    assert after["profile"]["closedSessions"] == before["profile"]["closedSessions"]
    assert after["loyalty"] == before["loyalty"]


async def test_revoking_a_closed_session_rolls_everything_back(
    client: httpx.AsyncClient, tenant: DemoTenant
) -> None:
    customer = tenant.customers[5].customer_id
    before = await inventory(client, customer, profile=True, loyalty=True)
    closed = await put_session(
        client,
        "revoke-1",
        content=["coupons"],
        profileId=customer,
        cartItems=CART,
        couponCodes=["WELCOME10"],
        state="closed",
    )

    revoked = await put_session(
        client, "revoke-1", content=["coupons", "customerProfile"], state="cancelled"
    )
    stored = await client.get("/v2/customer_sessions/revoke-1")
    after = await inventory(client, customer, profile=True, loyalty=True)

    types = sorted(e["effectType"] for e in revoked.json()["effects"])
    assert types == [
        "rollbackAddedLoyaltyPoints",
        "rollbackCoupon",
        "rollbackDiscount",
        "rollbackDiscount",
        "rollbackDiscount",
    ]
    assert closed.json()["coupons"][0]["usageCounter"] == 1
    assert revoked.json()["coupons"][0]["usageCounter"] == 0
    assert stored.json()["customerSession"]["state"] == "cancelled"
    assert stored.json()["effects"] == []
    assert after["profile"]["closedSessions"] == before["profile"]["closedSessions"]
    assert after["profile"]["totalSales"] == pytest.approx(before["profile"]["totalSales"])
    assert balance(after) == balance(before)


def balance(inv: dict[str, Any]) -> float:
    programs = inv["loyalty"]["programs"]
    return sum(p["ledger"]["currentBalance"] for p in programs.values())


async def test_get_session_returns_effects_in_force(client: httpx.AsyncClient) -> None:
    await put_session(
        client,
        "get-1",
        profileId="get-customer",
        cartItems=CART,
        couponCodes=["WELCOME10", "NOPE-CODE"],
    )

    response = await client.get("/v2/customer_sessions/get-1")

    body = response.json()
    assert response.status_code == 200
    assert body["customerSession"]["couponCodes"] == ["WELCOME10", "NOPE-CODE"]
    types = {e["effectType"] for e in body["effects"]}
    assert "acceptCoupon" in types
    assert "rejectCoupon" not in types


async def test_unknown_session(client: httpx.AsyncClient, app: FastAPI) -> None:
    default = await client.get("/v2/customer_sessions/never-seen")
    app.state.talon.options = app.state.talon.options.model_copy(
        update={"unknown_session_status": 400}
    )
    as_400 = await client.get("/v2/customer_sessions/never-seen")

    assert default.status_code == 404
    assert default.json() == not_found("customerSession")
    assert as_400.status_code == 400
    assert as_400.json() == plain_400("Not found", parameter="customerSessionId")


async def test_dry_run_persists_nothing(
    client: httpx.AsyncClient, app: FastAPI, tenant: DemoTenant
) -> None:
    customer = tenant.customers[6].customer_id
    flags: dict[str, Any] = {
        "profile": True,
        "coupons": True,
        "loyalty": True,
        "referrals": True,
        "giveaways": True,
    }
    await put_session(client, "dry-open", profileId=customer, cartItems=CART)
    before = await inventory(client, customer, **flags)
    store = app.state.talon.store
    counters, events = dict(store.counters), len(store.apps[tenant.talon_application_id].events)
    open_before = (await client.get("/v2/customer_sessions/dry-open")).json()

    new = await put_session(
        client,
        "dry-new",
        dry=True,
        content=ALL_CONTENT,
        profileId="dry-nobody",
        cartItems=CART,
        state="closed",
    )
    close = await put_session(
        client, "dry-open", dry=True, content=ALL_CONTENT, couponCodes=["WELCOME10"], state="closed"
    )

    assert new.status_code == close.status_code == 200
    assert close.json()["customerSession"]["state"] == "closed"
    assert effects_of(close.json(), "awardGiveaway")
    assert await inventory(client, customer, **flags) == before
    assert (await client.get("/v2/customer_sessions/dry-open")).json() == open_before
    assert (await client.get("/v2/customer_sessions/dry-new")).status_code == 404
    assert (await client.get("/v1/customer_profiles/dry-nobody/inventory")).status_code == 404
    assert dict(store.counters) == counters
    assert len(store.apps[tenant.talon_application_id].events) == events
    coupon = (await client.get("/v1/coupon_reservations/customerprofiles/WELCOME10")).json()
    assert customer not in [p["integrationId"] for p in coupon["data"]]


async def test_an_open_session_can_move_to_another_profile(client: httpx.AsyncClient) -> None:
    await put_session(client, "relink-1", profileId="first-owner", cartItems=CART)

    moved = await put_session(
        client, "relink-1", content=["customerSession"], profileId="second-owner"
    )
    await put_session(client, "relink-1", state="closed")
    closed_move = await put_session(client, "relink-1", profileId="third-owner", state="cancelled")

    assert moved.json()["customerSession"]["profileId"] == "second-owner"
    assert closed_move.status_code == 400
    assert closed_move.json() == plain_400("Invalid value", pointer="/customerSession/profileId")


async def test_relinking_can_be_forbidden(client: httpx.AsyncClient, app: FastAPI) -> None:
    app.state.talon.options = app.state.talon.options.model_copy(update={"session_relink": "never"})
    await put_session(client, "relink-2", profileId="first-owner", cartItems=CART)

    response = await put_session(client, "relink-2", profileId="second-owner")

    assert response.status_code == 400
    assert response.json() == plain_400("Invalid value", pointer="/customerSession/profileId")


async def test_session_attributes_must_be_defined_and_typed(
    client: httpx.AsyncClient, app: FastAPI
) -> None:
    unknown = await put_session(client, "attr-1", attributes={"Colour": "red"})
    mistyped = await put_session(client, "attr-1", attributes={"GiftWrap": "yes"})
    app.state.talon.options = app.state.talon.options.model_copy(
        update={"reject_undefined_attributes": False}
    )
    lenient = await put_session(client, "attr-1", attributes={"Colour": "red"})

    assert unknown.status_code == 400
    assert unknown.json() == plain_400("Unknown", pointer="/customerSession/attributes/Colour")
    assert mistyped.json() == plain_400(
        "Invalid type", pointer="/customerSession/attributes/GiftWrap"
    )
    assert lenient.status_code == 200


async def test_additional_costs_count_in_the_total(client: httpx.AsyncClient, app: FastAPI) -> None:
    cart = [{**CART[1], "additionalCosts": {"packaging": {"price": 0.5}}, "quantity": 2}]

    with_item_costs = await put_session(
        client,
        "costs-1",
        content=["customerSession"],
        cartItems=cart,
        additionalCosts={"shipping": {"price": 4.95}},
    )
    app.state.talon.options = app.state.talon.options.model_copy(
        update={"item_costs_in_additional_cost_total": False}
    )
    without = await put_session(client, "costs-1", content=["customerSession"])

    session = with_item_costs.json()["customerSession"]
    assert (session["cartItemTotal"], session["additionalCostTotal"], session["total"]) == (
        38.0,
        5.95,
        43.95,
    )
    assert without.json()["customerSession"]["additionalCostTotal"] == 4.95


async def test_session_updates_touch_the_profiles_last_activity(
    client: httpx.AsyncClient, tenant: DemoTenant
) -> None:
    customer = tenant.customers[8].customer_id
    before = (await inventory(client, customer, profile=True))["profile"]["lastActivity"]

    await put_session(client, "activity-1", profileId=customer, cartItems=CART)

    after = (await inventory(client, customer, profile=True))["profile"]["lastActivity"]
    assert after > before

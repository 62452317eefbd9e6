"""The rule engine: discounts, coupons, referrals, loyalty, giveaways, events, admin campaigns."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from sandbox.demo_world import DemoTenant
from sandbox.talon.campaigns import campaign_ids
from tests.sandbox.talon.helpers import CART, effects_of, inventory, put_session


def _balance(inv: dict[str, Any], key: str = "currentBalance") -> float:
    return sum(p["ledger"][key] for p in inv["loyalty"]["programs"].values())


async def test_cart_and_item_discounts(client: httpx.AsyncClient, tenant: DemoTenant) -> None:
    ids = campaign_ids(tenant.talon_application_id)

    response = await put_session(client, "disc-1", profileId="disc-customer", cartItems=CART)

    body = response.json()
    assert {
        "campaignId": ids.sale,
        "rulesetId": ids.sale * 10 + 1,
        "ruleIndex": 0,
        "ruleName": "5 off from 100",
        "effectType": "setDiscount",
        "props": {"name": "5 off from 100", "value": 5.0, "scope": "sessionTotal"},
    } in body["effects"]
    assert effects_of(body, "setDiscountPerItem") == [
        {
            "campaignId": ids.sale,
            "rulesetId": ids.sale * 10 + 1,
            "ruleIndex": 1,
            "ruleName": "20% off shoes",
            "effectType": "setDiscountPerItem",
            "props": {"name": "20% off shoes", "value": 35.98, "position": 0},
        }
    ]


async def test_small_cart_gets_no_cart_discount(client: httpx.AsyncClient) -> None:
    response = await put_session(client, "disc-2", profileId="", cartItems=CART[1:])

    assert effects_of(response.json(), "setDiscount") == []


async def test_valid_coupon_is_accepted_with_its_discount(
    client: httpx.AsyncClient, tenant: DemoTenant
) -> None:
    coupon_campaign = campaign_ids(tenant.talon_application_id).coupon

    response = await put_session(
        client, "cpn-1", profileId="cpn-customer", cartItems=CART, couponCodes=["WELCOME10"]
    )

    body = response.json()
    accept = effects_of(body, "acceptCoupon")[0]
    assert accept["campaignId"] == coupon_campaign
    assert accept["props"] == {"value": "WELCOME10"}
    discount = next(
        e for e in effects_of(body, "setDiscount") if e["campaignId"] == coupon_campaign
    )
    assert discount["props"] == {"name": "Welcome 10%", "value": 19.89}
    assert discount["triggeredByCoupon"] == accept["triggeredByCoupon"]


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("NO-SUCH-CODE", "CouponNotFound"),
        ("EXPIRED-2023", "CouponExpired"),
        ("SINGLE-USE", "CouponLimitReached"),
        ("FUTURE-2030", "CouponStartDateInFuture"),
        ("PAUSED-5OFF", "CouponPartOfNotRunningCampaign"),
    ],
)
async def test_coupon_rejections(
    client: httpx.AsyncClient, tenant: DemoTenant, code: str, reason: str
) -> None:
    ids = campaign_ids(tenant.talon_application_id)

    response = await put_session(
        client, "cpn-bad", profileId="cpn-bad-customer", cartItems=CART, couponCodes=[code]
    )

    rejected = effects_of(response.json(), "rejectCoupon")
    assert len(rejected) == 1
    assert rejected[0]["props"] == {"value": code, "rejectionReason": reason}
    expected_campaign = {"CouponNotFound": -1, "CouponPartOfNotRunningCampaign": ids.paused}.get(
        reason, ids.coupon
    )
    assert rejected[0]["campaignId"] == expected_campaign
    assert effects_of(response.json(), "acceptCoupon") == []


async def test_coupon_rejected_by_condition_for_a_tiny_cart(client: httpx.AsyncClient) -> None:
    tiny = [{"name": "Sock", "sku": "ACC-SCK-03", "quantity": 1, "price": 5.0}]

    response = await put_session(
        client,
        "cpn-tiny",
        content=["ruleFailureReasons"],
        profileId="",
        cartItems=tiny,
        couponCodes=["WELCOME10"],
    )

    body = response.json()
    assert effects_of(body, "rejectCoupon")[0]["props"] == {
        "value": "WELCOME10",
        "rejectionReason": "CouponRejectedByCondition",
    }
    failure = next(f for f in body["ruleFailureReasons"] if f["ruleName"] == "Welcome 10%")
    assert failure["couponValue"] == "WELCOME10"
    assert failure["conditionIndex"] == 1


async def test_hard_reserved_coupon_only_works_for_its_recipient(
    client: httpx.AsyncClient, tenant: DemoTenant
) -> None:
    owner = tenant.customers[2].customer_id  # demo data hard-reserves a VIP code for customer 2
    code = next(
        c["value"]
        for c in (await inventory(client, owner, coupons=True))["coupons"]
        if c.get("recipientIntegrationId") == owner
    )

    stranger = await put_session(
        client,
        "hard-1",
        profileId=tenant.customers[3].customer_id,
        cartItems=CART,
        couponCodes=[code],
    )
    recipient = await put_session(
        client, "hard-2", profileId=owner, cartItems=CART, couponCodes=[code]
    )

    assert (
        effects_of(stranger.json(), "rejectCoupon")[0]["props"]["rejectionReason"]
        == "CouponRecipientDoesNotMatch"
    )
    assert effects_of(recipient.json(), "acceptCoupon")[0]["props"] == {"value": code}


async def test_referral_accepted_redeemed_and_rolled_back(
    client: httpx.AsyncClient, tenant: DemoTenant
) -> None:
    advocate = tenant.customers[0].customer_id
    referral = (await inventory(client, advocate, referrals=True))["referrals"][0]
    code = referral["code"]

    opened = await put_session(
        client,
        "ref-1",
        content=["referral"],
        profileId="ref-friend",
        cartItems=CART,
        referralCode=code,
    )
    closed = await put_session(client, "ref-1", content=["referral"], state="closed")
    after_close = (await inventory(client, advocate, referrals=True))["referrals"][0]
    revoked = await put_session(client, "ref-1", content=["referral"], state="cancelled")

    assert effects_of(opened.json(), "acceptReferral")[0]["props"] == {"value": code}
    friend_discount = [
        e
        for e in effects_of(opened.json(), "setDiscount")
        if e["props"]["name"] == "Friend discount"
    ]
    assert friend_discount[0]["props"]["value"] == 15.0
    assert closed.json()["referral"]["usageCounter"] == referral["usageCounter"] + 1
    assert "ref-friend" in after_close["referredCustomers"]
    assert effects_of(revoked.json(), "rollbackReferral")[0]["props"] == {"value": code}
    assert revoked.json()["referral"]["usageCounter"] == referral["usageCounter"]


@pytest.mark.parametrize(
    ("who", "reason"),
    [("advocate", "ReferralRecipientIdSameAsAdvocate"), ("nobody", "ReferralNotFound")],
)
async def test_referral_rejections(
    client: httpx.AsyncClient, tenant: DemoTenant, who: str, reason: str
) -> None:
    advocate = tenant.customers[0].customer_id
    code = (await inventory(client, advocate, referrals=True))["referrals"][0]["code"]
    if who == "nobody":
        code = "REF-0000-NONE"

    response = await put_session(
        client, "ref-bad", profileId=advocate, cartItems=CART, referralCode=code
    )

    rejected = effects_of(response.json(), "rejectReferral")
    assert rejected[0]["props"] == {"value": code, "rejectionReason": reason}
    assert rejected[0]["campaignId"] == (
        -1 if who == "nobody" else campaign_ids(tenant.talon_application_id).referral
    )


async def test_referral_limit_and_recipient(client: httpx.AsyncClient, tenant: DemoTenant) -> None:
    campaign = campaign_ids(tenant.talon_application_id).referral
    created = await client.post(
        "/v1/referrals",
        json={
            "campaignId": campaign,
            "advocateProfileIntegrationId": "adv-x",
            "friendProfileIntegrationId": "friend-x",
            "usageLimit": 1,
        },
    )
    code = created.json()["code"]

    wrong_friend = await put_session(
        client, "lim-0", profileId="friend-y", cartItems=CART, referralCode=code
    )
    await put_session(
        client, "lim-1", profileId="friend-x", cartItems=CART, referralCode=code, state="closed"
    )
    again = await put_session(
        client, "lim-2", profileId="friend-x", cartItems=CART, referralCode=code
    )

    assert (
        effects_of(wrong_friend.json(), "rejectReferral")[0]["props"]["rejectionReason"]
        == "ReferralRecipientDoesNotMatch"
    )
    assert (
        effects_of(again.json(), "rejectReferral")[0]["props"]["rejectionReason"]
        == "ReferralLimitReached"
    )


async def test_loyalty_points_are_tentative_while_open_and_booked_on_close(
    client: httpx.AsyncClient, tenant: DemoTenant
) -> None:
    customer = tenant.customers[9].customer_id
    ids = campaign_ids(tenant.talon_application_id)
    program = tenant.talon_application_id * 10 + 1
    before = await inventory(client, customer, loyalty=True)

    opened = await put_session(client, "pts-1", profileId=customer, cartItems=CART)
    during = await inventory(client, customer, loyalty=True)
    closed = await put_session(client, "pts-1", content=["event", "loyalty"], state="closed")
    after = await inventory(client, customer, loyalty=True)

    points = effects_of(opened.json(), "addLoyaltyPoints")[0]
    assert points["campaignId"] == ids.loyalty
    props = points["props"]
    assert (props["programId"], props["subLedgerId"], props["value"]) == (program, "", 198)
    assert props["recipientIntegrationId"] == customer
    assert len(props["transactionUUID"]) == 36
    assert _balance(during) == _balance(before)
    assert (
        _balance(during, "tentativeCurrentBalance")
        == _balance(before, "tentativeCurrentBalance") + 198
    )
    assert _balance(after) == _balance(before) + 198
    assert (
        _balance(after, "tentativeCurrentBalance")
        == _balance(before, "tentativeCurrentBalance") + 198
    )
    entry = closed.json()["event"]["ledgerEntries"][0]
    assert (entry["amount"], entry["loyaltyProgramId"], entry["profileId"]) == (
        198,
        program,
        customer,
    )
    assert closed.json()["loyalty"]["programs"][str(program)]["ledger"][
        "currentBalance"
    ] == _balance(after)


async def _customer_with_points(
    client: httpx.AsyncClient, tenant: DemoTenant, at_least: float
) -> str:
    for customer in tenant.customers:
        inv = await inventory(client, customer.customer_id, loyalty=True)
        if inv["loyalty"]["programs"] and _balance(inv) >= at_least:
            return customer.customer_id
    raise AssertionError("no demo customer with enough points")


async def test_redeeming_points_deducts_and_rolls_back(
    client: httpx.AsyncClient, tenant: DemoTenant
) -> None:
    customer = await _customer_with_points(client, tenant, 20)
    before = await inventory(client, customer, loyalty=True)

    opened = await put_session(
        client, "redeem-1", profileId=customer, cartItems=CART, attributes={"PointsToRedeem": 20}
    )
    await put_session(client, "redeem-1", state="closed")
    spent = await inventory(client, customer, loyalty=True)
    revoked = await put_session(client, "redeem-1", state="cancelled")
    restored = await inventory(client, customer, loyalty=True)

    deduct = effects_of(opened.json(), "deductLoyaltyPoints")[0]["props"]
    assert (deduct["ruleTitle"], deduct["value"], deduct["name"]) == (
        "Redeem points",
        20,
        "Points redemption",
    )
    assert {"name": "Points redemption", "value": 2.0} in [
        e["props"] for e in effects_of(opened.json(), "setDiscount")
    ]
    assert _balance(spent, "spentBalance") == _balance(before, "spentBalance") + 20
    assert _balance(spent) == _balance(before) - 20 + 198
    rollback = effects_of(revoked.json(), "rollbackDeductedLoyaltyPoints")[0]["props"]
    assert rollback["value"] == 20
    assert rollback["transactionUUID"] == deduct["transactionUUID"]
    assert _balance(restored) == _balance(before)
    assert _balance(restored, "spentBalance") == _balance(before, "spentBalance")


async def test_not_enough_points_is_a_rule_failure(client: httpx.AsyncClient) -> None:
    response = await put_session(
        client,
        "redeem-2",
        content=["ruleFailureReasons"],
        profileId="pointless-customer",
        cartItems=CART,
        attributes={"PointsToRedeem": 50},
    )

    body = response.json()
    assert effects_of(body, "deductLoyaltyPoints") == []
    assert any(
        f["ruleName"] == "Redeem points" and f["details"] == "not enough loyalty points"
        for f in body["ruleFailureReasons"]
    )


async def test_giveaway_is_promised_while_open_and_awarded_on_close(
    client: httpx.AsyncClient, tenant: DemoTenant
) -> None:
    customer = tenant.customers[10].customer_id
    pool = tenant.talon_application_id * 10 + 2

    opened = await put_session(
        client, "give-1", content=["awardedGiveaways"], profileId=customer, cartItems=CART
    )
    closed = await put_session(client, "give-1", content=["awardedGiveaways"], state="closed")
    held = (await inventory(client, customer, giveaways=True))["giveaways"]

    assert effects_of(opened.json(), "willAwardGiveaway")[0]["props"] == {
        "poolId": pool,
        "poolName": "Gift cards",
        "recipientIntegrationId": customer,
    }
    assert opened.json()["awardedGiveaways"] == []
    award = effects_of(closed.json(), "awardGiveaway")[0]["props"]
    assert award["poolId"] == pool
    assert award["recipientIntegrationId"] == customer
    assert closed.json()["awardedGiveaways"][0]["code"] == award["code"]
    assert award["code"] in [g["code"] for g in held]
    assert {"sku": "TOTE-001", "name": "Free tote bag"} in [
        e["props"] for e in effects_of(closed.json(), "addFreeItem")
    ]
    assert effects_of(closed.json(), "showNotification")[0]["props"]["title"] == "Gift card"


async def test_triggered_campaigns_and_failures_only_on_request(
    client: httpx.AsyncClient, app: FastAPI, tenant: DemoTenant
) -> None:
    ids = campaign_ids(tenant.talon_application_id)

    asked = await put_session(
        client,
        "tc-1",
        content=["triggeredCampaigns", "ruleFailureReasons"],
        profileId="",
        cartItems=CART,
    )
    silent = await put_session(client, "tc-2", profileId="", cartItems=CART)
    app.state.talon.options = app.state.talon.options.model_copy(
        update={"always_return_rule_failure_reasons": True}
    )
    sandbox_app = await put_session(client, "tc-3", profileId="", cartItems=CART)

    campaigns = asked.json()["triggeredCampaigns"]
    assert [c["id"] for c in campaigns] == [ids.sale, ids.giveaway] or [
        c["id"] for c in campaigns
    ] == [ids.sale]
    assert campaigns[0]["state"] == "enabled"
    assert campaigns[0]["applicationId"] == tenant.talon_application_id
    failed = {(f["campaignID"], f["ruleIndex"]) for f in asked.json()["ruleFailureReasons"]}
    assert (ids.loyalty, 0) in failed  # anonymous sessions earn no points
    assert "triggeredCampaigns" not in silent.json()
    assert "ruleFailureReasons" not in silent.json()
    assert "ruleFailureReasons" in sandbox_app.json()


async def test_campaigns_can_be_replaced_through_the_admin_route(
    client: httpx.AsyncClient, anon: httpx.AsyncClient, tenant: DemoTenant
) -> None:
    app_id = tenant.talon_application_id
    campaign = {
        "id": 777,
        "name": "Half price",
        "rulesetId": 7771,
        "created": "2026-01-01T00:00:00Z",
        "rules": [
            {
                "title": "Half off",
                "condition": {"minCartTotal": 1},
                "effects": [{"type": "setDiscount", "name": "Half off", "percent": 50}],
            }
        ],
    }

    replaced = await anon.put(f"/_sandbox/talon/campaigns/{app_id}", json=[campaign])
    response = await put_session(client, "admin-1", profileId="", cartItems=CART)

    assert replaced.status_code == 200
    assert response.json()["effects"] == [
        {
            "campaignId": 777,
            "rulesetId": 7771,
            "ruleIndex": 0,
            "ruleName": "Half off",
            "effectType": "setDiscount",
            "props": {"name": "Half off", "value": 99.45},
        }
    ]


async def test_custom_event_rules_book_points_and_create_coupons(
    client: httpx.AsyncClient, tenant: DemoTenant
) -> None:
    customer = tenant.customers[11].customer_id
    before = await inventory(client, customer, loyalty=True, coupons=True)

    signup = await client.post(
        "/v2/events",
        params={"silent": "no"},
        json={"profileId": customer, "type": "newsletter_signup", "attributes": {}},
    )
    review = await client.post(
        "/v2/events",
        params={"silent": "no"},
        json={"profileId": customer, "type": "review_written"},
    )
    after = await inventory(client, customer, loyalty=True, coupons=True)

    assert effects_of(signup.json(), "addLoyaltyPoints")[0]["props"]["value"] == 50
    assert _balance(after) == (_balance(before) if before["loyalty"]["programs"] else 0) + 50
    created = review.json()["createdCoupons"]
    assert len(created) == 1
    assert created[0]["value"].startswith("THANKS-")
    assert effects_of(review.json(), "couponCreated")[0]["props"] == {
        "value": created[0]["value"],
        "profileId": customer,
    }
    mine = next(c for c in after["coupons"] if c["value"] == created[0]["value"])
    assert (mine["recipientIntegrationId"], mine["reservation"], mine["state"]) == (
        customer,
        False,
        "active",
    )

"""Promotion writes (Talon.One): events, coupon reservations, referrals, audiences."""

from __future__ import annotations

from sandbox.talon.campaigns import campaign_ids
from tests.schema.gateway_harness import Harness

TRACK = """
mutation($c: ID!, $type: String!, $attrs: JSON) {
  trackPromotionEvent(customerId: $c, type: $type, attributes: $attrs) {
    eventId customer { customerId }
    effects {
      __typename ... on RuleEffect { effectType } ... on LoyaltyPointsAddedEffect { points }
    }
  }
}
"""
RESERVE = """
mutation($v: String!, $ids: [ID!]!) {
  reserveCoupon(value: $v, customerIds: $ids) {
    coupon { value campaignId } customers { customerId }
  }
}
"""
RELEASE = """
mutation($v: String!, $ids: [ID!]!) {
  releaseCoupon(value: $v, customerIds: $ids) { coupon { value } customers { customerId } }
}
"""
HOLDERS = "query($v: String!) { coupon(value: $v) { reservedBy { customerId } } }"
REFERRAL = """
mutation($input: CreateReferralInput!) {
  createReferral(input: $input) {
    advocate { customerId }
    referral { code campaignId usageLimit usageCounter referredCustomers { customerId } }
  }
}
"""
REFERRALS = """
mutation($input: CreateReferralsInput!) {
  createReferrals(input: $input) { referrals { advocate { customerId } referral { code } } }
}
"""
EVENTS = "POST /v2/events"


def referral_campaign(gw: Harness) -> int:
    return campaign_ids(gw.acme.talon_application_id).referral


async def test_a_promotion_event_runs_the_rules(gw: Harness) -> None:
    person = gw.acme.customers[27].customer_id

    body = await gw.query(TRACK, {"c": person, "type": "newsletter_signup", "attrs": {}})

    payload = body["data"]["trackPromotionEvent"]
    assert payload["eventId"] is not None
    assert payload["customer"] == {"customerId": person}
    points = [e for e in payload["effects"] if e["__typename"] == "LoyaltyPointsAddedEffect"]
    assert points == [
        {"__typename": "LoyaltyPointsAddedEffect", "effectType": "addLoyaltyPoints", "points": 50}
    ]
    assert gw.endpoints("talon") == {EVENTS: 1}


async def test_an_undefined_event_type_is_refused_by_the_vendor(gw: Harness) -> None:
    person = gw.acme.customers[27].customer_id

    body = await gw.query(TRACK, {"c": person, "type": "no_such_event"})
    blank = await gw.query(TRACK, {"c": person, "type": " "})

    assert body["errors"][0]["extensions"]["vendor"] == "talon"
    assert blank["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "argument": "type"}


async def test_reserving_a_coupon_shows_in_its_holders_at_once(gw: Harness) -> None:
    people = [gw.acme.customers[28].customer_id, gw.acme.customers[29].customer_id]
    before = await gw.query(HOLDERS, {"v": "WELCOME10"})
    assert {"customerId": people[0]} not in before["data"]["coupon"]["reservedBy"]
    gw.reset_calls()

    body = await gw.query(RESERVE, {"v": "WELCOME10", "ids": people})
    after = await gw.query(HOLDERS, {"v": "WELCOME10"})

    assert body["data"]["reserveCoupon"]["coupon"]["value"] == "WELCOME10"
    holders = after["data"]["coupon"]["reservedBy"]
    assert {"customerId": people[0]} in holders
    assert {"customerId": people[1]} in holders
    assert gw.endpoints("talon") == {
        "POST /v1/coupon_reservations/{couponValue:path}": 1,
        "GET /v1/coupon_reservations/customerprofiles/{couponValue:path}": 1,
    }


async def test_releasing_a_coupon_removes_the_holders(gw: Harness) -> None:
    person = gw.acme.customers[30].customer_id
    await gw.query(RESERVE, {"v": "WELCOME10", "ids": [person]})

    await gw.query(RELEASE, {"v": "WELCOME10", "ids": [person]})
    after = await gw.query(HOLDERS, {"v": "WELCOME10"})

    assert {"customerId": person} not in after["data"]["coupon"]["reservedBy"]
    assert gw.calls("talon", "DELETE /v1/coupon_reservations/{couponValue:path}") == 1


async def test_an_unknown_coupon_or_no_customers_is_an_error(gw: Harness) -> None:
    person = gw.acme.customers[30].customer_id

    unknown = await gw.query(RESERVE, {"v": "NO-SUCH-CODE", "ids": [person]})
    empty = await gw.query(RESERVE, {"v": "WELCOME10", "ids": []})

    assert unknown["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert empty["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "argument": "customerIds"}


async def test_a_referral_code_for_one_advocate(gw: Harness) -> None:
    advocate = gw.acme.customers[31].customer_id
    terms = {"campaignId": referral_campaign(gw), "advocateId": advocate, "usageLimit": 3}

    body = await gw.query(REFERRAL, {"input": terms})

    payload = body["data"]["createReferral"]
    assert payload["advocate"] == {"customerId": advocate}
    assert payload["referral"]["code"].startswith("REF-")
    assert payload["referral"]["usageLimit"] == 3
    assert payload["referral"]["referredCustomers"] == []
    assert gw.endpoints("talon") == {"POST /v1/referrals": 1}


async def test_referral_codes_for_many_advocates_in_one_call(gw: Harness) -> None:
    advocates = [gw.acme.customers[i].customer_id for i in (32, 33, 34)]

    body = await gw.query(
        REFERRALS, {"input": {"campaignId": referral_campaign(gw), "advocateIds": advocates}}
    )

    referrals = body["data"]["createReferrals"]["referrals"]
    assert [r["advocate"]["customerId"] for r in referrals] == advocates
    assert len({r["referral"]["code"] for r in referrals}) == 3
    assert gw.endpoints("talon") == {"POST /v1/referrals_for_multiple_advocates": 1}


async def test_bad_referral_terms_name_the_argument(gw: Harness) -> None:
    advocate = gw.acme.customers[31].customer_id
    campaign = referral_campaign(gw)

    limit = await gw.query(
        REFERRAL, {"input": {"campaignId": campaign, "advocateId": advocate, "usageLimit": -1}}
    )
    none = await gw.query(REFERRALS, {"input": {"campaignId": campaign, "advocateIds": []}})
    unknown = await gw.query(REFERRAL, {"input": {"campaignId": 1, "advocateId": advocate}})

    assert limit["errors"][0]["extensions"]["argument"] == "input.usageLimit"
    assert none["errors"][0]["extensions"]["argument"] == "input.advocateIds"
    assert unknown["errors"][0]["extensions"]["vendor"] == "talon"

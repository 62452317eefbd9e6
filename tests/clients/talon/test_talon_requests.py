"""Each client method sends exactly the documented request: method, path, query, body, auth."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from tests.clients.talon.fakes import API_KEY, FakeTalon
from vendors.talon import TalonClient
from vendors.talon.models import (
    AdditionalCost,
    CartItem,
    CouponReservations,
    CustomerProfileAudienceRequest,
    CustomerProfileAudienceRequestItem,
    CustomerProfileIntegrationRequestV2,
    IntegrationEventV2Request,
    IntegrationRequest,
    NewAudience,
    NewCustomerSessionV2,
    NewReferral,
    NewReferralsForMultipleAdvocates,
    NewReturn,
    ReturnedCartItem,
    ReturnIntegrationRequest,
    UpdateAudience,
)


def sent(fake: FakeTalon) -> tuple[str, str, dict[str, str], Any]:
    """(method, raw path, query, JSON body or None) of the one request made."""
    assert len(fake.requests) == 1
    request = fake.last
    raw = request.url.raw_path.decode().split("?", 1)[0]
    body = json.loads(request.content) if request.content else None
    return request.method, raw, dict(request.url.params), body


async def test_every_request_carries_the_api_key_and_asks_for_json(
    talon: TalonClient, fake: FakeTalon
) -> None:
    await talon.get_customer_session("S-1")

    assert fake.last.headers["authorization"] == f"ApiKey-v1 {API_KEY}"
    assert fake.last.headers["accept"] == "application/json"
    assert fake.last.url.host == "acme.talon.test"


async def test_update_customer_profile_v2_sends_only_the_fields_set(
    talon: TalonClient, fake: FakeTalon
) -> None:
    body = CustomerProfileIntegrationRequestV2(attributes={"Language": "english"})

    await talon.update_customer_profile_v2("cust?1 é", body, run_rule_engine=True, dry=True)

    assert sent(fake) == (
        "PUT",
        "/v2/customer_profiles/cust%3F1%20%C3%A9",
        {"runRuleEngine": "true", "dry": "true"},
        {"attributes": {"Language": "english"}},
    )
    assert fake.last.headers["content-type"] == "application/json"


async def test_update_customer_profile_v2_without_rule_engine_sends_no_flags(
    talon: TalonClient, fake: FakeTalon
) -> None:
    await talon.update_customer_profile_v2("c-1", CustomerProfileIntegrationRequestV2())

    assert sent(fake) == ("PUT", "/v2/customer_profiles/c-1", {}, {})


async def test_delete_customer_data(talon: TalonClient, fake: FakeTalon) -> None:
    await talon.delete_customer_data("c#1")

    assert sent(fake) == ("DELETE", "/v1/customer_data/c%231", {}, None)


async def test_get_customer_inventory_sends_only_the_flags_asked_for(
    talon: TalonClient, fake: FakeTalon
) -> None:
    await talon.get_customer_inventory("c-1", profile=True, coupons=True, loyalty=True)

    assert sent(fake) == (
        "GET",
        "/v1/customer_profiles/c-1/inventory",
        {"profile": "true", "coupons": "true", "loyalty": "true"},
        None,
    )


async def test_get_customer_inventory_all_flags(talon: TalonClient, fake: FakeTalon) -> None:
    await talon.get_customer_inventory(
        "c-1", profile=True, referrals=True, coupons=True, loyalty=True, giveaways=True
    )

    _, _, query, _ = sent(fake)
    assert query == dict.fromkeys(
        ["profile", "referrals", "coupons", "loyalty", "giveaways"], "true"
    )


async def test_update_customer_session_v2_keeps_empty_and_left_out_apart(
    talon: TalonClient, fake: FakeTalon
) -> None:
    session = NewCustomerSessionV2(
        profile_id="c-1",
        coupon_codes=[],
        referral_code="",
        state="open",
        cart_items=[
            CartItem(name="Air Glide", sku="SKU1", quantity=2, price=99.99, category="shoes")
        ],
        additional_costs={"shipping": AdditionalCost(price=9)},
        attributes={"ShippingCity": "Berlin"},
    )

    await talon.update_customer_session_v2(
        "S 1",
        IntegrationRequest(customer_session=session, response_content=["customerSession"]),
        dry=True,
    )

    assert sent(fake) == (
        "PUT",
        "/v2/customer_sessions/S%201",
        {"dry": "true"},
        {
            "customerSession": {
                "profileId": "c-1",
                "couponCodes": [],
                "referralCode": "",
                "state": "open",
                "cartItems": [
                    {
                        "name": "Air Glide",
                        "sku": "SKU1",
                        "quantity": 2,
                        "price": 99.99,
                        "category": "shoes",
                    }
                ],
                "additionalCosts": {"shipping": {"price": 9.0}},
                "attributes": {"ShippingCity": "Berlin"},
            },
            "responseContent": ["customerSession"],
        },
    )


async def test_closing_a_session_sends_only_the_state(talon: TalonClient, fake: FakeTalon) -> None:
    await talon.update_customer_session_v2(
        "S-1", IntegrationRequest(customer_session=NewCustomerSessionV2(state="closed"))
    )

    assert sent(fake) == (
        "PUT",
        "/v2/customer_sessions/S-1",
        {},
        {"customerSession": {"state": "closed"}},
    )


async def test_get_customer_session(talon: TalonClient, fake: FakeTalon) -> None:
    await talon.get_customer_session("S?1")

    assert sent(fake) == ("GET", "/v2/customer_sessions/S%3F1", {}, None)


async def test_return_cart_items(talon: TalonClient, fake: FakeTalon) -> None:
    body = ReturnIntegrationRequest(
        return_=NewReturn(returned_cart_items=[ReturnedCartItem(position=0, quantity=1)]),
        response_content=["previousReturns"],
    )

    await talon.return_cart_items("S-1", body, dry=True)

    assert sent(fake) == (
        "POST",
        "/v2/customer_sessions/S-1/returns",
        {"dry": "true"},
        {
            "return": {"returnedCartItems": [{"position": 0, "quantity": 1}]},
            "responseContent": ["previousReturns"],
        },
    )


async def test_track_event_v2(talon: TalonClient, fake: FakeTalon) -> None:
    body = IntegrationEventV2Request(
        type="linkShared", profile_id="c-1", response_content=["customerProfile"]
    )

    await talon.track_event_v2(body, silent=False, dry=True)

    assert sent(fake) == (
        "POST",
        "/v2/events",
        {"silent": "no", "dry": "true"},
        {"type": "linkShared", "profileId": "c-1", "responseContent": ["customerProfile"]},
    )


async def test_create_coupon_reservation_encodes_the_coupon_value(
    talon: TalonClient, fake: FakeTalon
) -> None:
    await talon.create_coupon_reservation(
        "XMAS;20 %?#", CouponReservations(integration_ids=["c-1", "c-2"])
    )

    assert sent(fake) == (
        "POST",
        "/v1/coupon_reservations/XMAS%3B20%20%25%3F%23",
        {},
        {"integrationIDs": ["c-1", "c-2"]},
    )


async def test_delete_coupon_reservation_is_a_delete_with_a_json_body(
    talon: TalonClient, fake: FakeTalon
) -> None:
    await talon.delete_coupon_reservation("XMAS-20", CouponReservations(integration_ids=["c-1"]))

    assert sent(fake) == (
        "DELETE",
        "/v1/coupon_reservations/XMAS-20",
        {},
        {"integrationIDs": ["c-1"]},
    )
    assert fake.last.headers["content-type"] == "application/json"


async def test_get_reserved_customers(talon: TalonClient, fake: FakeTalon) -> None:
    await talon.get_reserved_customers("A&B")

    assert sent(fake) == ("GET", "/v1/coupon_reservations/customerprofiles/A%26B", {}, None)


async def test_create_referral(talon: TalonClient, fake: FakeTalon) -> None:
    start = datetime(2020, 11, 10, 23, 0, tzinfo=UTC)

    await talon.create_referral(
        NewReferral(campaign_id=78, advocate_profile_integration_id="c-1", start_date=start)
    )

    assert sent(fake) == (
        "POST",
        "/v1/referrals",
        {},
        {
            "campaignId": 78,
            "advocateProfileIntegrationId": "c-1",
            "startDate": "2020-11-10T23:00:00Z",
        },
    )


async def test_create_referrals_for_multiple_advocates(talon: TalonClient, fake: FakeTalon) -> None:
    body = NewReferralsForMultipleAdvocates(
        campaign_id=45,
        advocate_profile_integration_ids=["a", "b"],
        usage_limit=1,
        referral_pattern="REF-###-###",
    )

    await talon.create_referrals_for_multiple_advocates(body, silent=False)

    assert sent(fake) == (
        "POST",
        "/v1/referrals_for_multiple_advocates",
        {"silent": "no"},
        {
            "campaignId": 45,
            "advocateProfileIntegrationIds": ["a", "b"],
            "usageLimit": 1,
            "referralPattern": "REF-###-###",
        },
    )


async def test_create_audience_v2(talon: TalonClient, fake: FakeTalon) -> None:
    await talon.create_audience_v2(
        NewAudience(
            name="Travel",
            integration="mparticle",
            integration_id="382370BKDB946",
        )
    )

    assert sent(fake) == (
        "POST",
        "/v2/audiences",
        {},
        {
            "name": "Travel",
            "integration": "mparticle",
            "integrationId": "382370BKDB946",
        },
    )


async def test_update_audience_v2(talon: TalonClient, fake: FakeTalon) -> None:
    await talon.update_audience_v2(6, UpdateAudience(name="Renamed"))

    assert sent(fake) == ("PUT", "/v2/audiences/6", {}, {"name": "Renamed"})


async def test_delete_audience_v2(talon: TalonClient, fake: FakeTalon) -> None:
    await talon.delete_audience_v2(6)

    assert sent(fake) == ("DELETE", "/v2/audiences/6", {}, None)
    assert fake.last.headers["authorization"] == f"ApiKey-v1 {API_KEY}"


async def test_delete_audience_memberships_v2(talon: TalonClient, fake: FakeTalon) -> None:
    await talon.delete_audience_memberships_v2(6)

    assert sent(fake) == ("DELETE", "/v2/audiences/6/memberships", {}, None)


async def test_update_audience_customers_attributes(talon: TalonClient, fake: FakeTalon) -> None:
    await talon.update_audience_customers_attributes(6, {"Segment": "travel", "Score": 3})

    assert sent(fake) == (
        "PUT",
        "/v2/audience_customers/6/attributes",
        {},
        {"Segment": "travel", "Score": 3},
    )


async def test_update_customer_profile_audiences(talon: TalonClient, fake: FakeTalon) -> None:
    body = CustomerProfileAudienceRequest(
        data=[
            CustomerProfileAudienceRequestItem(
                action="add", profile_integration_id="c-1", audience_id=6
            ),
            CustomerProfileAudienceRequestItem(
                action="delete", profile_integration_id="c-2", audience_id=7
            ),
        ]
    )

    await talon.update_customer_profile_audiences(body)

    assert sent(fake) == (
        "POST",
        "/v2/customer_audiences",
        {},
        {
            "data": [
                {"action": "add", "profileIntegrationId": "c-1", "audienceId": 6},
                {"action": "delete", "profileIntegrationId": "c-2", "audienceId": 7},
            ]
        },
    )

"""Each documented response parses into typed models (effects, states, 204 → None)."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from tests.clients.talon import payloads as p
from tests.clients.talon.fakes import FakeTalon
from vendors.errors import VendorUnavailableError
from vendors.talon import TalonClient
from vendors.talon.models import (
    EFFECT_PROPS,
    AddLoyaltyPointsEffectProps,
    CouponReservations,
    CustomerProfileAudienceRequest,
    CustomerProfileIntegrationRequestV2,
    Effect,
    IntegrationEventV2Request,
    IntegrationRequest,
    NewAudience,
    NewCustomerSessionV2,
    NewReferral,
    NewReferralsForMultipleAdvocates,
    NewReturn,
    RejectCouponEffectProps,
    ReturnIntegrationRequest,
    SetDiscountEffectProps,
    SetDiscountPerItemEffectProps,
    UnknownEffectProps,
    UpdateAttributeEffectProps,
    UpdateAudience,
)

OPEN = IntegrationRequest(customer_session=NewCustomerSessionV2(profile_id="c-1"))


@pytest.mark.parametrize("effect_type", sorted(p.EFFECT_PROPS_EXAMPLES))
def test_every_known_effect_type_gets_its_typed_props(effect_type: str) -> None:
    """Each props model reads the example's keys it declares (the rest are ignored)."""
    effect = Effect.model_validate(p.effect(effect_type))
    model = EFFECT_PROPS[effect_type]
    declared = {f.alias or name for name, f in model.model_fields.items()}

    assert type(effect.props) is model
    assert effect.props.model_dump(mode="json", by_alias=True, exclude_unset=True) == {
        k: v for k, v in p.EFFECT_PROPS_EXAMPLES[effect_type].items() if k in declared
    }


def test_every_modelled_effect_type_has_a_documented_example() -> None:
    assert set(EFFECT_PROPS) == set(p.EFFECT_PROPS_EXAMPLES)


def test_effect_props_fields_read_as_documented() -> None:
    reject = Effect.model_validate(p.effect("rejectCoupon", campaignId=-1)).props
    points = Effect.model_validate(p.effect("addLoyaltyPoints", triggeredByCoupon=6)).props
    per_item = Effect.model_validate(p.effect("setDiscountPerItem")).props
    set_attr = Effect.model_validate(p.effect("set")).props

    assert isinstance(reject, RejectCouponEffectProps)
    assert (reject.value, reject.rejection_reason) == ("NOPE-0000", "CouponNotFound")
    assert isinstance(points, AddLoyaltyPointsEffectProps)
    assert points.transaction_uuid == "2bb8a1e4-2a0b-4a48-9c52-6d8f6a0f4c1d"
    assert points.start_date == datetime(2022, 1, 1, tzinfo=UTC)
    assert isinstance(per_item, SetDiscountPerItemEffectProps)
    assert (per_item.position, per_item.scope) == (0, "price")
    assert isinstance(set_attr, UpdateAttributeEffectProps)
    assert set_attr.value == ["gold", 3]


def test_an_unknown_effect_type_keeps_its_raw_props() -> None:
    effect = Effect.model_validate(
        p.effect("unlockReward", {"rewardId": 3, "someNewKey": "x"}, rewardId=3)
    )

    assert effect.effect_type == "unlockReward"
    assert isinstance(effect.props, UnknownEffectProps)
    assert effect.props.raw == {"rewardId": 3, "someNewKey": "x"}


def test_known_effect_props_that_break_their_schema_fall_back_to_raw() -> None:
    effect = Effect.model_validate(p.effect("setDiscount", {"name": "x"}))

    assert isinstance(effect.props, UnknownEffectProps)
    assert effect.props.raw == {"name": "x"}


async def test_update_customer_session_v2_parses_the_full_state(talon: TalonClient) -> None:
    state = await talon.update_customer_session_v2("S-1", OPEN)

    assert {e.effect_type for e in state.effects} == set(p.EFFECT_PROPS_EXAMPLES)
    assert [c.value for c in state.created_coupons] == ["NEW-1234"]
    assert state.created_referrals == []
    session = state.customer_session
    assert session is not None
    assert (session.integration_id, session.state, session.total) == ("S-1", "open", 108.99)
    assert session.cart_items[0].position == 0
    assert session.additional_costs is not None
    assert session.additional_costs["shipping"].price == 9
    assert session.created.tzinfo is not None
    assert state.event is not None
    assert state.event.id == 6
    assert state.return_ is not None
    assert state.return_.id == 6


async def test_a_minimal_state_has_only_the_always_present_lists(
    talon: TalonClient, fake: FakeTalon
) -> None:
    fake.queue(httpx.Response(200, json=p.minimal_state_v2() | {"aNewerKey": {"x": 1}}))

    state = await talon.update_customer_profile_v2("c-1", CustomerProfileIntegrationRequestV2())

    assert (state.effects, state.created_coupons, state.created_referrals) == ([], [], [])
    assert state.customer_session is None
    assert state.event is None


async def test_get_customer_session_parses_session_and_effects(talon: TalonClient) -> None:
    response = await talon.get_customer_session("S-1")

    assert response.customer_session is not None
    assert response.customer_session.coupon_codes == ["XMAS-20-2021"]
    assert response.effects is not None
    assert isinstance(response.effects[0].props, SetDiscountEffectProps)


async def test_return_cart_items_parses_the_return(talon: TalonClient) -> None:
    state = await talon.return_cart_items(
        "S-1", ReturnIntegrationRequest(return_=NewReturn(returned_cart_items=[]))
    )

    assert state.return_ is not None
    assert state.return_.id == 6


async def test_silent_calls_return_none_on_204(talon: TalonClient) -> None:
    event = await talon.track_event_v2(IntegrationEventV2Request(type="t", profile_id="c"))
    referrals = await talon.create_referrals_for_multiple_advocates(
        NewReferralsForMultipleAdvocates(
            campaign_id=1, advocate_profile_integration_ids=["a"], usage_limit=1
        )
    )

    assert (event, referrals) == (None, None)


async def test_non_silent_calls_return_their_bodies(talon: TalonClient) -> None:
    event = await talon.track_event_v2(
        IntegrationEventV2Request(type="t", profile_id="c"), silent=False
    )
    referrals = await talon.create_referrals_for_multiple_advocates(
        NewReferralsForMultipleAdvocates(
            campaign_id=1, advocate_profile_integration_ids=["a", "b"], usage_limit=1
        ),
        silent=False,
    )

    assert event is not None
    assert event.customer_session is not None
    assert referrals is not None
    assert [r.code for r in referrals.data] == ["REF-AAA-111", "REF-BBB-222"]


async def test_no_content_endpoints_return_none(talon: TalonClient, fake: FakeTalon) -> None:
    reservations = CouponReservations(integration_ids=["c-1"])

    results = [
        await talon.delete_customer_data("c-1"),
        await talon.delete_coupon_reservation("XMAS", reservations),
        await talon.delete_audience_v2(6),
        await talon.delete_audience_memberships_v2(6),
        await talon.update_audience_customers_attributes(6, {"a": 1}),
        await talon.update_customer_profile_audiences(CustomerProfileAudienceRequest(data=[])),
    ]

    assert results == [None] * 6
    assert len(fake.requests) == 6


async def test_inventory_parses_every_part(talon: TalonClient) -> None:
    inventory = await talon.get_customer_inventory("c-1", profile=True)

    assert inventory.profile is not None
    assert inventory.profile.total_sales == 299.99
    assert inventory.coupons is not None
    assert (inventory.coupons[0].state, inventory.coupons[0].profile_redemption_count) == (
        "active",
        1,
    )
    assert inventory.referrals is not None
    assert inventory.referrals[0].referred_customers == ["BZGGC2454PA"]
    assert inventory.giveaways is not None
    assert inventory.giveaways[0].pool_id == 4
    assert inventory.loyalty is not None
    ledger = inventory.loyalty.programs["5"].ledger
    assert ledger.tentative_current_balance == 56.0
    assert ledger.current_tier is not None
    assert ledger.current_tier.name == "bronze"


async def test_an_empty_inventory_has_no_parts(talon: TalonClient, fake: FakeTalon) -> None:
    fake.queue(httpx.Response(200, json={}))

    inventory = await talon.get_customer_inventory("c-1")

    assert inventory.model_dump(exclude_unset=True) == {}


async def test_coupon_reservation_and_referrals_parse(talon: TalonClient) -> None:
    coupon = await talon.create_coupon_reservation(
        "XMAS-20-2021", CouponReservations(integration_ids=["c-1"])
    )
    reserved = await talon.get_reserved_customers("XMAS-20-2021")
    referral = await talon.create_referral(
        NewReferral(campaign_id=78, advocate_profile_integration_id="URNGV8294NV")
    )

    assert (coupon.value, coupon.reservation, coupon.usage_limit) == ("XMAS-20-2021", True, 100)
    assert reserved.data[0].integration_id == "URNGV8294NV"
    assert (referral.code, referral.campaign_id) == ("27G47Y54VH9L", 78)


async def test_audiences_parse(talon: TalonClient) -> None:
    created = await talon.create_audience_v2(NewAudience(name="Travel audience"))
    renamed = await talon.update_audience_v2(6, UpdateAudience(name="Travel audience"))

    assert (created.id, created.name) == (6, "Travel audience")
    assert renamed.integration_id == "382370BKDB946"


async def test_a_body_that_breaks_the_schema_is_an_unavailable_error(
    talon: TalonClient, fake: FakeTalon
) -> None:
    fake.queue(httpx.Response(200, json={"effects": "not a list"}))

    with pytest.raises(VendorUnavailableError) as caught:
        await talon.update_customer_session_v2("S-1", OPEN)

    assert caught.value.code == "UnexpectedResponse"
    assert "not a list" not in str(caught.value)


async def test_a_key_no_model_reads_is_neither_validated_nor_kept(
    talon: TalonClient, fake: FakeTalon
) -> None:
    """Tolerant reader: a malformed value under a key the gateway does not read (here the
    coupon's ``importId`` and ``limits``, the profile's ``accountId``) costs nothing."""
    body = p.inventory()
    body["coupons"][0] |= {"importId": "not a number", "limits": "not a list"}
    body["profile"]["accountId"] = None
    fake.queue(httpx.Response(200, json=body))

    inventory = await talon.get_customer_inventory("c-1", profile=True, coupons=True)

    assert inventory.coupons is not None
    assert (inventory.coupons[0].value, inventory.coupons[0].usage_limit) == ("XMAS-20-2021", 100)
    assert "importId" not in inventory.coupons[0].model_dump(by_alias=True)
    assert inventory.profile is not None
    assert inventory.profile.integration_id == "URNGV8294NV"

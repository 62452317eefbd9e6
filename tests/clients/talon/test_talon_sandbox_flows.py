"""The client against the Talon.One sandbox, in process: real flows, exact upstream calls."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from sandbox.talon.campaigns import campaign_ids
from tests.clients.talon.sandbox_support import Sandbox, in_process, new_sandbox
from vendors.errors import (
    VendorConflictError,
    VendorInvalidInputError,
    VendorNotFoundError,
    VendorUnauthorizedError,
)
from vendors.talon import OVERLAP_CONFLICT_CODE
from vendors.talon.models import (
    AcceptCouponEffectProps,
    AcceptReferralEffectProps,
    AddLoyaltyPointsEffectProps,
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
    RejectCouponEffectProps,
    ReturnedCartItem,
    ReturnIntegrationRequest,
    SetDiscountEffectProps,
    UpdateAudience,
)

SHOES = CartItem(
    name="Trail running shoes", sku="SHOE-RUN-01", quantity=1, price=89.95, category="shoes"
)
CAPS = CartItem(name="Cap", sku="ACC-CAP-02", quantity=2, price=19.0, category="accessories")
WELCOME = "WELCOME10"


@pytest.fixture
async def sandbox() -> AsyncIterator[Sandbox]:
    wired = in_process(new_sandbox())
    yield wired
    await wired.aclose()


def customer(sandbox: Sandbox, index: int) -> str:
    return sandbox.tenant.customers[index].customer_id


def session(**fields: object) -> IntegrationRequest:
    return IntegrationRequest(
        customer_session=NewCustomerSessionV2.model_validate(fields),
        response_content=["customerSession", "customerProfile"],
    )


# -- profiles -----------------------------------------------------------------------------


async def test_profile_update_creates_a_new_profile(sandbox: Sandbox) -> None:
    await sandbox.client.update_customer_profile_v2(
        "new-customer-1",
        CustomerProfileIntegrationRequestV2(attributes={"City": "Delft"}),
        run_rule_engine=True,
    )

    profile = (await sandbox.client.get_customer_inventory("new-customer-1", profile=True)).profile
    assert profile is not None
    assert (profile.integration_id, profile.attributes) == ("new-customer-1", {"City": "Delft"})
    assert (profile.closed_sessions, profile.total_sales) == (0, 0)
    assert await sandbox.calls("PUT", "/v2/customer_profiles/{integrationId}") == 1


async def test_a_dry_profile_update_stores_nothing(sandbox: Sandbox) -> None:
    await sandbox.client.update_customer_profile_v2(
        "dry-customer",
        CustomerProfileIntegrationRequestV2(attributes={"City": "Delft"}),
        run_rule_engine=True,
        dry=True,
    )

    with pytest.raises(VendorNotFoundError):
        await sandbox.client.get_customer_inventory("dry-customer", profile=True)


async def test_wrong_api_key_is_unauthorized() -> None:
    wired = in_process(new_sandbox(), api_key="not-a-key")

    with pytest.raises(VendorUnauthorizedError):
        await wired.client.get_customer_session("S-1")

    assert await wired.total_calls() == 1
    await wired.aclose()


# -- sessions -----------------------------------------------------------------------------


async def test_session_open_with_coupon_close_and_return(sandbox: Sandbox) -> None:
    cid = customer(sandbox, 3)
    before = await sandbox.client.get_customer_inventory(cid, profile=True)
    assert before.profile is not None

    opened = await sandbox.client.update_customer_session_v2(
        "flow-1", session(profile_id=cid, cart_items=[SHOES, CAPS], coupon_codes=[WELCOME])
    )
    closed = await sandbox.client.update_customer_session_v2("flow-1", session(state="closed"))
    returned = await sandbox.client.return_cart_items(
        "flow-1",
        ReturnIntegrationRequest(
            return_=NewReturn(returned_cart_items=[ReturnedCartItem(position=1)]),
            response_content=["customerSession"],
        ),
    )
    stored = await sandbox.client.get_customer_session("flow-1")
    after = await sandbox.client.get_customer_inventory(cid, profile=True)

    accepted = [e.props for e in opened.effects if isinstance(e.props, AcceptCouponEffectProps)]
    assert [a.value for a in accepted] == [WELCOME]
    assert any(isinstance(e.props, SetDiscountEffectProps) for e in opened.effects)
    assert opened.customer_session is not None
    assert opened.customer_session.state == "open"
    assert opened.customer_session.cart_item_total == pytest.approx(89.95 + 2 * 19.0)
    assert [item.position for item in opened.customer_session.cart_items] == [0, 1]
    assert closed.customer_session is not None
    assert closed.customer_session.state == "closed"
    assert closed.customer_session.coupon_codes == [WELCOME]  # left out → kept
    assert after.profile is not None
    assert after.profile.closed_sessions == before.profile.closed_sessions + 1
    assert returned.return_ is not None
    assert returned.customer_session is not None
    assert returned.customer_session.state == "partially_returned"
    assert returned.customer_session.cart_items[1].remaining_quantity == 0
    assert stored.customer_session is not None
    assert stored.customer_session.state == "partially_returned"
    assert await sandbox.calls("PUT", "/v2/customer_sessions/{customerSessionId}") == 2
    assert await sandbox.calls("POST", "/v2/customer_sessions/{customerSessionId}/returns") == 1
    assert await sandbox.calls("GET", "/v2/customer_sessions/{customerSessionId}") == 1


async def test_an_empty_coupon_list_clears_the_codes(sandbox: Sandbox) -> None:
    cid = customer(sandbox, 4)
    await sandbox.client.update_customer_session_v2(
        "clear-1", session(profile_id=cid, cart_items=[SHOES], coupon_codes=[WELCOME])
    )

    cleared = await sandbox.client.update_customer_session_v2("clear-1", session(coupon_codes=[]))

    assert cleared.customer_session is not None
    assert cleared.customer_session.coupon_codes in ([], None)
    assert not any(isinstance(e.props, AcceptCouponEffectProps) for e in cleared.effects)


async def test_an_unknown_coupon_is_rejected_by_an_effect(sandbox: Sandbox) -> None:
    state = await sandbox.client.update_customer_session_v2(
        "nope-1", session(profile_id=customer(sandbox, 1), coupon_codes=["NOPE-0000"])
    )

    rejected = [e for e in state.effects if isinstance(e.props, RejectCouponEffectProps)]
    assert len(rejected) == 1
    assert rejected[0].campaign_id == -1
    props = rejected[0].props
    assert isinstance(props, RejectCouponEffectProps)
    assert props.rejection_reason == "CouponNotFound"


async def test_reopening_a_closed_session_is_invalid_input_on_the_state(sandbox: Sandbox) -> None:
    await sandbox.client.update_customer_session_v2(
        "closed-1", session(profile_id=customer(sandbox, 1), state="closed")
    )

    with pytest.raises(VendorInvalidInputError) as caught:
        await sandbox.client.update_customer_session_v2("closed-1", session(state="open"))

    assert caught.value.field == "customerSession.state"
    assert caught.value.status == 400


async def test_an_undefined_session_attribute_names_the_attribute(sandbox: Sandbox) -> None:
    with pytest.raises(VendorInvalidInputError) as caught:
        await sandbox.client.update_customer_session_v2("attr-1", session(attributes={"Foo": 1}))

    assert (caught.value.field, caught.value.code) == ("customerSession.attributes.Foo", "Unknown")


async def test_an_unknown_session_is_not_found(sandbox: Sandbox) -> None:
    with pytest.raises(VendorNotFoundError):
        await sandbox.client.get_customer_session("never-opened")


async def test_overlapping_session_updates_get_the_overlap_conflict(sandbox: Sandbox) -> None:
    await sandbox.set_options(processing_delay_ms=150)
    request = session(profile_id=customer(sandbox, 2), cart_items=[SHOES])

    results = await asyncio.gather(
        sandbox.client.update_customer_session_v2("busy-1", request),
        sandbox.client.update_customer_session_v2("busy-1", request),
        return_exceptions=True,
    )

    conflicts = [r for r in results if isinstance(r, VendorConflictError)]
    assert len(conflicts) == 1
    assert conflicts[0].code == OVERLAP_CONFLICT_CODE
    assert await sandbox.calls("PUT", "/v2/customer_sessions/{customerSessionId}") == 2


# -- inventory and data deletion ----------------------------------------------------------


async def test_inventory_returns_only_the_parts_asked_for(sandbox: Sandbox) -> None:
    cid = customer(sandbox, 1)  # demo data: index 1 has a reserved welcome coupon

    slim = await sandbox.client.get_customer_inventory(cid, profile=True)
    full = await sandbox.client.get_customer_inventory(
        cid,
        profile=True,
        referrals=True,
        coupons=True,
        loyalty=True,
        giveaways=True,
    )

    assert slim.profile is not None
    assert (slim.coupons, slim.loyalty, slim.referrals, slim.giveaways) == (None,) * 4
    assert full.coupons
    assert all(
        c.state in {"active", "used", "expired", "pending", "disabled"} for c in full.coupons
    )
    assert full.loyalty is not None
    assert full.loyalty.programs
    assert full.referrals is not None
    assert full.giveaways is not None
    assert await sandbox.calls("GET", "/v1/customer_profiles/{integrationId}/inventory") == 2


async def test_deleting_customer_data_clears_the_profile_attributes(sandbox: Sandbox) -> None:
    cid = customer(sandbox, 5)

    await sandbox.client.delete_customer_data(cid)
    inventory = await sandbox.client.get_customer_inventory(cid, profile=True)

    assert inventory.profile is not None
    assert inventory.profile.attributes == {}
    with pytest.raises(VendorNotFoundError):
        await sandbox.client.delete_customer_data("nobody-at-all")


# -- coupon reservations ------------------------------------------------------------------


async def test_reserve_list_and_release_a_coupon(sandbox: Sandbox) -> None:
    a, b = customer(sandbox, 6), customer(sandbox, 7)

    coupon = await sandbox.client.create_coupon_reservation(
        WELCOME, CouponReservations(integration_ids=[a, b])
    )
    reserved = await sandbox.client.get_reserved_customers(WELCOME)
    wallet = await sandbox.client.get_customer_inventory(a, coupons=True)
    await sandbox.client.delete_coupon_reservation(WELCOME, CouponReservations(integration_ids=[a]))
    after = await sandbox.client.get_reserved_customers(WELCOME)

    assert coupon.value == WELCOME
    assert {a, b} <= {p.integration_id for p in reserved.data}
    assert WELCOME in {c.value for c in wallet.coupons or []}
    assert a not in {p.integration_id for p in after.data}
    assert b in {p.integration_id for p in after.data}
    assert await sandbox.calls("POST", "/v1/coupon_reservations/{couponValue}") == 1
    assert await sandbox.calls("DELETE", "/v1/coupon_reservations/{couponValue}") == 1


async def test_reserving_an_unknown_coupon_is_not_found(sandbox: Sandbox) -> None:
    with pytest.raises(VendorNotFoundError):
        await sandbox.client.create_coupon_reservation(
            "NOPE-1", CouponReservations(integration_ids=[customer(sandbox, 0)])
        )


# -- referrals ----------------------------------------------------------------------------


async def test_a_referral_code_is_created_and_accepted_in_a_friends_session(
    sandbox: Sandbox,
) -> None:
    ids = campaign_ids(sandbox.tenant.talon_application_id)
    advocate, friend = customer(sandbox, 8), customer(sandbox, 9)

    referral = await sandbox.client.create_referral(
        NewReferral(campaign_id=ids.referral, advocate_profile_integration_id=advocate)
    )
    state = await sandbox.client.update_customer_session_v2(
        "ref-1", session(profile_id=friend, cart_items=[SHOES], referral_code=referral.code)
    )

    assert referral.advocate_profile_integration_id == advocate
    assert referral.code.startswith("REF-")
    accepted = [e.props for e in state.effects if isinstance(e.props, AcceptReferralEffectProps)]
    assert [a.value for a in accepted] == [referral.code]


async def test_referrals_for_multiple_advocates(sandbox: Sandbox) -> None:
    ids = campaign_ids(sandbox.tenant.talon_application_id)
    advocates = [customer(sandbox, 10), customer(sandbox, 11)]
    body = NewReferralsForMultipleAdvocates(
        campaign_id=ids.referral, advocate_profile_integration_ids=advocates, usage_limit=3
    )

    created = await sandbox.client.create_referrals_for_multiple_advocates(body, silent=False)
    silent = await sandbox.client.create_referrals_for_multiple_advocates(body)

    assert created is not None
    assert sorted(r.advocate_profile_integration_id for r in created.data) == sorted(advocates)
    assert {r.usage_limit for r in created.data} == {3}
    assert silent is None
    assert await sandbox.calls("POST", "/v1/referrals_for_multiple_advocates") == 2


async def test_a_referral_for_an_unknown_campaign_is_invalid_input(sandbox: Sandbox) -> None:
    with pytest.raises(VendorInvalidInputError) as caught:
        await sandbox.client.create_referral(
            NewReferral(campaign_id=999, advocate_profile_integration_id=customer(sandbox, 0))
        )

    assert caught.value.field == "campaignId"


# -- audiences ----------------------------------------------------------------------------


async def test_audience_lifecycle(sandbox: Sandbox) -> None:
    member = customer(sandbox, 12)
    client = sandbox.client

    audience = await client.create_audience_v2(NewAudience(name="Hikers"))
    renamed = await client.update_audience_v2(audience.id, UpdateAudience(name="Hikers NL"))
    await client.update_customer_profile_audiences(
        CustomerProfileAudienceRequest(
            data=[
                CustomerProfileAudienceRequestItem(
                    action="add", profile_integration_id=member, audience_id=audience.id
                )
            ]
        )
    )
    await client.update_audience_customers_attributes(audience.id, {"Segment": "hikers"})
    joined = await client.get_customer_inventory(member, profile=True)
    await client.delete_audience_memberships_v2(audience.id)
    emptied = await client.get_customer_inventory(member, profile=True)
    await client.delete_audience_v2(audience.id)

    assert (audience.name, renamed.name, renamed.id) == ("Hikers", "Hikers NL", audience.id)
    assert joined.profile is not None
    assert audience.id in {m.id for m in joined.profile.audience_memberships or []}
    assert joined.profile.attributes["Segment"] == "hikers"
    assert emptied.profile is not None
    assert audience.id not in {m.id for m in emptied.profile.audience_memberships or []}
    with pytest.raises(VendorNotFoundError):
        await client.update_audience_v2(audience.id, UpdateAudience(name="gone"))
    assert await sandbox.calls("POST", "/v2/audiences") == 1
    assert await sandbox.calls("POST", "/v2/customer_audiences") == 1


async def test_a_duplicate_third_party_audience_is_a_conflict_but_not_an_overlap(
    sandbox: Sandbox,
) -> None:
    body = NewAudience(name="High intent", integration="segment", integration_id="seg-high-intent")

    with pytest.raises(VendorConflictError) as caught:
        await sandbox.client.create_audience_v2(body)

    assert caught.value.code == "Conflict"
    assert await sandbox.calls("POST", "/v2/audiences") == 1


# -- events ------------------------------------------------------------------------------


async def test_track_event_v2_runs_the_event_rules(sandbox: Sandbox) -> None:
    cid = customer(sandbox, 13)

    state = await sandbox.client.track_event_v2(
        IntegrationEventV2Request(type="newsletter_signup", profile_id=cid), silent=False
    )
    quiet = await sandbox.client.track_event_v2(
        IntegrationEventV2Request(type="newsletter_signup", profile_id=cid)
    )

    assert state is not None
    points = [e.props for e in state.effects if isinstance(e.props, AddLoyaltyPointsEffectProps)]
    assert [p.value for p in points] == [50]
    assert quiet is None


async def test_an_undefined_event_type_is_invalid_input(sandbox: Sandbox) -> None:
    with pytest.raises(VendorInvalidInputError) as caught:
        await sandbox.client.track_event_v2(
            IntegrationEventV2Request(type="nope", profile_id=customer(sandbox, 0))
        )

    assert caught.value.field == "type"

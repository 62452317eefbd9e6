"""The official Talon.One Python SDK (``talon-one-sdk`` 26.2, strict pydantic models) drives
every in-scope endpoint it still has against the sandbox over real HTTP, and parses every answer.

The SDK no longer has the v1 ``updateCustomerProfile``, ``updateCustomerSession`` and
``trackEvent`` operations; those are covered by ``test_talon_v1``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
import talon_one
from talon_one import models as m
from talon_one.exceptions import NotFoundException

from sandbox.common.vendor_app import VendorRuntime
from sandbox.demo_world import DemoTenant, demo_world
from sandbox.talon.app import create_app
from sandbox.talon.campaigns import campaign_ids
from sandbox.talon.demo_data import management_token
from sandbox.talon.options import TalonSandboxOptions
from tests.support.live_server import live_server

pytestmark = pytest.mark.e2e

SEED = 7


@dataclass
class Sdk:
    api: talon_one.IntegrationApi
    tenant: DemoTenant
    base_url: str


@pytest.fixture(scope="module")
def sdk() -> Iterator[Sdk]:
    world = demo_world(SEED, 2, 25)
    app = create_app(world, runtime=VendorRuntime("talon"), options=TalonSandboxOptions())
    tenant = world.tenants[0]
    with live_server(app) as base_url:
        config = talon_one.Configuration(
            host=base_url,
            api_key={"api_key_v1": tenant.talon_api_key},
            api_key_prefix={"api_key_v1": "ApiKey-v1"},
        )
        with talon_one.ApiClient(config) as client:
            yield Sdk(talon_one.IntegrationApi(client), tenant, base_url)


def _cart() -> list[m.CartItem]:
    return [
        m.CartItem(
            name="Trail running shoes", sku="SHOE-RUN-01", quantity=2, price=89.95, category="shoes"
        ),
        m.CartItem(name="Cap", sku="ACC-CAP-02", quantity=1, price=19.0, category="accessories"),
    ]


def _types(effects: list[m.Effect]) -> set[str]:
    return {e.effect_type for e in effects}


def test_update_customer_profile_v2_with_and_without_rules(sdk: Sdk) -> None:
    customer = sdk.tenant.customers[2]

    quiet = sdk.api.update_customer_profile_v2(
        customer.customer_id, m.CustomerProfileIntegrationRequestV2(attributes={"City": "Delft"})
    )
    ruled = sdk.api.update_customer_profile_v2(
        customer.customer_id,
        m.CustomerProfileIntegrationRequestV2(
            attributes={"Newsletter": True},
            response_content=["customerProfile", "event", "loyalty", "triggeredCampaigns"],
        ),
        run_rule_engine=True,
    )

    assert quiet.effects == []
    assert quiet.created_coupons == []
    assert quiet.customer_profile is None
    assert ruled.customer_profile is not None
    assert ruled.customer_profile.integration_id == customer.customer_id
    assert ruled.customer_profile.attributes["City"] == "Delft"
    assert ruled.customer_profile.attributes["Newsletter"] is True
    assert ruled.event is not None
    assert ruled.event.type == "talon_profile_updated"
    assert ruled.loyalty is not None


def test_update_customer_profiles_v2_silent_and_not(sdk: Sdk) -> None:
    request = m.MultipleCustomerProfileIntegrationRequest(
        customer_profiles=[
            m.MultipleCustomerProfileIntegrationRequestItem(
                integration_id="sdk-bulk-1", attributes={"Tier": "gold"}
            ),
            m.MultipleCustomerProfileIntegrationRequestItem(integration_id="sdk-bulk-2"),
        ]
    )

    silent = sdk.api.update_customer_profiles_v2(request)
    loud = sdk.api.update_customer_profiles_v2(request, silent="no")

    assert silent is None
    assert loud.integration_states is not None
    assert [s.customer_profile.integration_id for s in loud.integration_states] == [
        "sdk-bulk-1",
        "sdk-bulk-2",
    ]
    assert loud.integration_states[0].customer_profile.attributes == {"Tier": "gold"}


def test_update_customer_session_v2_open_coupon_close_and_get(sdk: Sdk) -> None:
    customer = sdk.tenant.customers[3]
    content = [
        "customerSession",
        "customerProfile",
        "coupons",
        "triggeredCampaigns",
        "loyalty",
        "event",
    ]

    opened = sdk.api.update_customer_session_v2(
        "sdk-session-1",
        m.IntegrationRequest(
            customer_session=m.NewCustomerSessionV2(
                profile_id=customer.customer_id, coupon_codes=["WELCOME10"], cart_items=_cart()
            ),
            response_content=content,
        ),
    )
    closed = sdk.api.update_customer_session_v2(
        "sdk-session-1",
        m.IntegrationRequest(
            customer_session=m.NewCustomerSessionV2(
                profile_id=customer.customer_id,
                coupon_codes=["WELCOME10"],
                cart_items=_cart(),
                state="closed",
            ),
            response_content=content,
        ),
    )
    fetched = sdk.api.get_customer_session("sdk-session-1")

    assert opened.customer_session is not None
    assert opened.customer_session.state == "open"
    assert opened.customer_session.update_count == 1
    assert opened.customer_session.total == pytest.approx(198.9)
    assert {"acceptCoupon", "setDiscount", "setDiscountPerItem", "addLoyaltyPoints"} <= _types(
        opened.effects
    )
    assert opened.coupons is not None
    assert opened.coupons[0].value == "WELCOME10"
    assert opened.triggered_campaigns
    assert opened.triggered_campaigns[0].frontend_state == "running"
    assert closed.customer_session is not None
    assert closed.customer_session.state == "closed"
    assert closed.event is not None
    assert closed.event.type == "talon_session_closed"
    assert closed.customer_profile is not None
    assert closed.customer_profile.closed_sessions == opened.customer_profile.closed_sessions + 1
    assert fetched.customer_session is not None
    assert fetched.customer_session.integration_id == "sdk-session-1"
    assert fetched.effects is not None
    assert "acceptCoupon" in _types(fetched.effects)


def test_update_customer_session_v2_dry_persists_nothing(sdk: Sdk) -> None:
    customer = sdk.tenant.customers[4]

    dry = sdk.api.update_customer_session_v2(
        "sdk-dry-session",
        m.IntegrationRequest(
            customer_session=m.NewCustomerSessionV2(
                profile_id=customer.customer_id, cart_items=_cart(), state="closed"
            ),
            response_content=["customerSession"],
        ),
        dry=True,
    )

    assert dry.customer_session is not None
    assert dry.customer_session.state == "closed"
    with pytest.raises(NotFoundException):
        sdk.api.get_customer_session("sdk-dry-session")


def test_return_cart_items(sdk: Sdk) -> None:
    customer = sdk.tenant.customers[5]
    sdk.api.update_customer_session_v2(
        "sdk-return-session",
        m.IntegrationRequest(
            customer_session=m.NewCustomerSessionV2(
                profile_id=customer.customer_id, cart_items=_cart(), state="closed"
            )
        ),
    )

    returned = sdk.api.return_cart_items(
        "sdk-return-session",
        m.ReturnIntegrationRequest(
            var_return=m.NewReturn(returned_cart_items=[m.ReturnedCartItem(position=0)]),
            response_content=["customerSession", "previousReturns"],
        ),
    )

    assert returned.var_return is not None
    assert returned.var_return.session_integration_id == "sdk-return-session"
    assert returned.var_return.returned_cart_items[0].position == 0
    assert returned.customer_session is not None
    assert returned.customer_session.state == "partially_returned"
    assert returned.customer_session.cart_items[0].returned_quantity == 2
    assert returned.previous_returns == []
    assert {"rollbackDiscount", "rollbackAddedLoyaltyPoints"} <= _types(returned.effects)


def test_track_event_v2(sdk: Sdk) -> None:
    customer = sdk.tenant.customers[6]
    request = m.IntegrationEventV2Request(
        profile_id=customer.customer_id,
        type="newsletter_signup",
        attributes={"source": "footer"},
        response_content=["customerProfile", "loyalty"],
    )

    silent = sdk.api.track_event_v2(request)
    loud = sdk.api.track_event_v2(request, silent="no")

    assert silent is None
    assert {"addLoyaltyPoints", "showNotification"} <= _types(loud.effects)
    assert loud.customer_profile is not None
    assert loud.customer_profile.integration_id == customer.customer_id
    assert loud.loyalty is not None
    assert loud.loyalty.programs


def test_get_customer_inventory_with_every_flag(sdk: Sdk) -> None:
    customer = sdk.tenant.customers[0]  # advocate of a referral, holder of a used coupon

    inventory = sdk.api.get_customer_inventory(
        customer.customer_id,
        profile=True,
        referrals=True,
        coupons=True,
        loyalty=True,
        giveaways=True,
    )
    bare = sdk.api.get_customer_inventory(customer.customer_id)

    assert inventory.profile is not None
    assert inventory.profile.integration_id == customer.customer_id
    assert inventory.referrals
    assert inventory.referrals[0].advocate_profile_integration_id == customer.customer_id
    assert inventory.coupons
    assert {c.state for c in inventory.coupons} <= {
        "active",
        "used",
        "expired",
        "pending",
        "disabled",
    }
    assert any(c.value == "SINGLE-USE" and c.state == "used" for c in inventory.coupons)
    assert inventory.loyalty is not None
    assert inventory.giveaways == []
    assert bare.profile is None
    assert bare.coupons is None
    assert bare.loyalty is None


def test_coupon_reservations(sdk: Sdk) -> None:
    customer = sdk.tenant.customers[7]
    body = m.CouponReservations(integration_ids=[customer.customer_id])

    coupon = sdk.api.create_coupon_reservation("WELCOME10", body)
    reserved = sdk.api.get_reserved_customers("WELCOME10")
    deleted = sdk.api.delete_coupon_reservation("WELCOME10", body)
    after = sdk.api.get_reserved_customers("WELCOME10")

    assert coupon.value == "WELCOME10"
    assert coupon.reservation is True
    assert customer.customer_id in [p.integration_id for p in reserved.data]
    assert reserved.total_result_size == len(reserved.data)
    assert deleted is None
    assert customer.customer_id not in [p.integration_id for p in after.data]


def test_referrals(sdk: Sdk) -> None:
    campaign = campaign_ids(sdk.tenant.talon_application_id).referral
    advocates = [c.customer_id for c in sdk.tenant.customers[8:11]]

    one = sdk.api.create_referral(
        m.NewReferral(campaign_id=campaign, advocate_profile_integration_id=advocates[0])
    )
    many = sdk.api.create_referrals_for_multiple_advocates(
        m.NewReferralsForMultipleAdvocates(
            campaign_id=campaign,
            advocate_profile_integration_ids=advocates,
            usage_limit=3,
            referral_pattern="SDK-###-###",
        ),
        silent="no",
    )

    assert one.campaign_id == campaign
    assert one.code.startswith("REF-")
    assert one.usage_counter == 0
    assert many.total_result_size == 3
    assert [r.advocate_profile_integration_id for r in many.data] == advocates
    assert all(r.code.startswith("SDK-") and len(r.code) == 11 for r in many.data)


def test_audiences_lifecycle(sdk: Sdk) -> None:
    member = sdk.tenant.customers[12].customer_id

    audience = sdk.api.create_audience_v2(
        m.NewAudience(name="SDK audience", integration="segment", integration_id="sdk-aud-1")
    )
    renamed = sdk.api.update_audience_v2(
        audience.id, m.UpdateAudience(name="SDK audience (renamed)")
    )
    sdk.api.update_customer_profile_audiences(
        m.CustomerProfileAudienceRequest(
            data=[
                m.CustomerProfileAudienceRequestItem(
                    action="add", profile_integration_id=member, audience_id=audience.id
                )
            ]
        )
    )
    sdk.api.update_audience_customers_attributes(audience.id, {"Segment": "sdk"})
    profile = sdk.api.get_customer_inventory(member, profile=True).profile
    sdk.api.delete_audience_memberships_v2(audience.id)
    emptied = sdk.api.get_customer_inventory(member, profile=True).profile
    sdk.api.delete_audience_v2(audience.id)

    assert audience.account_id == sdk.tenant.talon_account_id
    assert audience.integration_id == "sdk-aud-1"
    assert renamed.name == "SDK audience (renamed)"
    assert profile is not None
    assert profile.attributes["Segment"] == "sdk"
    assert any(a.id == audience.id for a in profile.audience_memberships or [])
    assert emptied is not None
    assert all(a.id != audience.id for a in emptied.audience_memberships or [])
    with pytest.raises(NotFoundException):
        sdk.api.update_audience_v2(audience.id, m.UpdateAudience(name="gone"))


def test_audience_delete_with_management_token(sdk: Sdk) -> None:
    audience = sdk.api.create_audience_v2(m.NewAudience(name="SDK manager audience"))
    config = talon_one.Configuration(
        host=sdk.base_url,
        api_key={"manager_auth": management_token(SEED, sdk.tenant)},
        api_key_prefix={"manager_auth": "Bearer"},
    )

    with talon_one.ApiClient(config) as client:
        talon_one.IntegrationApi(client).delete_audience_v2(
            audience.id, _request_auth=client.configuration.auth_settings()["manager_auth"]
        )

    with pytest.raises(NotFoundException):
        sdk.api.delete_audience_v2(audience.id)


def test_delete_customer_data(sdk: Sdk) -> None:
    customer = sdk.tenant.customers[13]

    sdk.api.delete_customer_data(customer.customer_id)
    profile = sdk.api.get_customer_inventory(customer.customer_id, profile=True).profile

    assert profile is not None
    assert profile.attributes == {}
    with pytest.raises(NotFoundException):
        sdk.api.delete_customer_data("sdk-nobody")


def test_session_with_a_referral_and_every_response_content(sdk: Sdk) -> None:
    advocate = sdk.tenant.customers[0].customer_id
    inventory = sdk.api.get_customer_inventory(advocate, referrals=True)
    code = inventory.referrals[0].code
    friend = sdk.tenant.customers[19].customer_id
    everything = [
        "customerSession",
        "customerProfile",
        "coupons",
        "triggeredCampaigns",
        "referral",
        "loyalty",
        "event",
        "awardedGiveaways",
        "ruleFailureReasons",
        "previousReturns",
    ]

    closed = sdk.api.update_customer_session_v2(
        "sdk-referral-session",
        m.IntegrationRequest(
            customer_session=m.NewCustomerSessionV2(
                profile_id=friend,
                referral_code=code,
                coupon_codes=["NO-SUCH-CODE"],
                cart_items=_cart(),
                attributes={"Channel": "web"},
                state="closed",
            ),
            response_content=everything,
        ),
    )

    assert closed.referral is not None
    assert closed.referral.code == code
    assert friend in closed.referral.referred_customers
    assert {"acceptReferral", "rejectCoupon", "awardGiveaway"} <= _types(closed.effects)
    assert closed.awarded_giveaways
    assert closed.awarded_giveaways[0].pool_id == sdk.tenant.talon_application_id * 10 + 2
    assert closed.rule_failure_reasons is not None
    assert closed.coupons == []
    assert closed.previous_returns == []
    assert closed.event is not None
    assert closed.event.ledger_entries
    assert closed.event.ledger_entries[0].amount == 198
    assert closed.event.meta is not None
    assert closed.event.meta.coupon_rejection_reason is not None
    assert closed.event.meta.coupon_rejection_reason.reason == "CouponNotFound"
    referral_campaign = campaign_ids(sdk.tenant.talon_application_id).referral
    triggered = {c.id: c for c in closed.triggered_campaigns or []}
    assert triggered[referral_campaign].referral_settings is not None

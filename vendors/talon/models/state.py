"""The integration state (v2) returned by session, profile, return and event calls."""

from __future__ import annotations

from pydantic import Field

from vendors.talon.models._base import TalonModel
from vendors.talon.models.campaigns import Campaign
from vendors.talon.models.coupons import Coupon, InventoryReferral, Referral
from vendors.talon.models.effects import Effect, RuleFailureReason
from vendors.talon.models.events import Event
from vendors.talon.models.loyalty import Giveaway, Loyalty
from vendors.talon.models.profiles import CustomerProfile
from vendors.talon.models.sessions import CustomerSessionV2, Return

__all__ = [
    "IntegrationCustomerSessionResponse",
    "IntegrationStateV2",
    "MultipleCustomerProfileIntegrationResponseV2",
]


class IntegrationStateV2(TalonModel):
    """``effects``, ``createdCoupons`` and ``createdReferrals`` are always present; the rest
    only when asked for in ``responseContent`` (or, for ``return``, on a return)."""

    effects: list[Effect]
    created_coupons: list[Coupon]
    created_referrals: list[Referral]
    customer_session: CustomerSessionV2 | None = None
    customer_profile: CustomerProfile | None = None
    event: Event | None = None
    loyalty: Loyalty | None = None
    referral: InventoryReferral | None = None
    coupons: list[Coupon] | None = None
    triggered_campaigns: list[Campaign] | None = None
    rule_failure_reasons: list[RuleFailureReason] | None = None
    awarded_giveaways: list[Giveaway] | None = None
    return_: Return | None = Field(default=None, alias="return")
    previous_returns: list[Return] | None = None


class IntegrationCustomerSessionResponse(TalonModel):
    """``effects`` are the ones still in force (rolled-back pairs removed)."""

    customer_session: CustomerSessionV2 | None = None
    effects: list[Effect] | None = None


class MultipleCustomerProfileIntegrationResponseV2(TalonModel):
    integration_states: list[IntegrationStateV2] | None = None

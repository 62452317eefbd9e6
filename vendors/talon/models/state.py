"""The integration state (v2) returned by session, profile, return and event calls."""

from __future__ import annotations

from pydantic import Field

from vendors.talon.models._base import TalonModel
from vendors.talon.models.coupons import Coupon, Referral
from vendors.talon.models.effects import Effect
from vendors.talon.models.events import Event
from vendors.talon.models.sessions import CustomerSessionV2, Return

__all__ = ["IntegrationCustomerSessionResponse", "IntegrationStateV2"]


class IntegrationStateV2(TalonModel):
    """``effects``, ``createdCoupons`` and ``createdReferrals`` are always present; the rest
    only when asked for in ``responseContent`` (or, for ``return``, on a return). Of the
    parts Talon.One can send, these are the ones the gateway reads."""

    effects: list[Effect]
    created_coupons: list[Coupon]
    created_referrals: list[Referral]
    customer_session: CustomerSessionV2 | None = None
    event: Event | None = None
    return_: Return | None = Field(default=None, alias="return")


class IntegrationCustomerSessionResponse(TalonModel):
    """``effects`` are the ones still in force (rolled-back pairs removed)."""

    customer_session: CustomerSessionV2 | None = None
    effects: list[Effect] | None = None

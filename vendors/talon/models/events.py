"""Events: the stored event (with its effects and ledger entries) and the track requests."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Discriminator, Field, Tag

from vendors.talon.models._base import Attributes, TalonModel, TalonRequest, Timestamp
from vendors.talon.models.effects import Effect, LegacyEffect

__all__ = [
    "CouponRejectionReason",
    "Event",
    "EventEffect",
    "EventResponseContent",
    "IntegrationEventV2Request",
    "LedgerEntry",
    "Meta",
    "NewEvent",
    "ReferralRejectionReason",
]


def _effect_shape(value: Any) -> str:
    return "v1" if isinstance(value, list | tuple | LegacyEffect) else "v2"


#: an event's effect: a v2 ``Effect`` object or a positional v1 effect
EventEffect = Annotated[
    Annotated[Effect, Tag("v2")] | Annotated[LegacyEffect, Tag("v1")],
    Discriminator(_effect_shape),
]


class CouponRejectionReason(TalonModel):
    campaign_id: int
    coupon_id: int
    reason: str


class ReferralRejectionReason(TalonModel):
    campaign_id: int
    referral_id: int
    reason: str


class Meta(TalonModel):
    #: campaign id → that campaign's attributes
    campaigns: dict[str, Any] | None = None
    #: coupon value → that coupon's attributes
    coupons: dict[str, Any] | None = None
    coupon_rejection_reason: CouponRejectionReason | None = None
    referral_rejection_reason: ReferralRejectionReason | None = None
    warnings: dict[str, Any] | None = None


class LedgerEntry(TalonModel):
    id: int
    created: Timestamp
    profile_id: str
    account_id: int
    loyalty_program_id: int
    event_id: int
    amount: int
    reason: str
    expiry_date: Timestamp
    reference_id: int | None = None


class Event(TalonModel):
    id: int
    created: Timestamp
    application_id: int
    #: a custom type, or a built-in one such as ``talon_session_updated``
    type: str
    attributes: Attributes
    effects: list[EventEffect]
    #: required in the 2022 spec, optional in later ones
    ledger_entries: list[LedgerEntry] = Field(default_factory=list)
    profile_id: str | None = None
    session_id: str | None = None
    meta: Meta | None = None


EventResponseContent = Literal[
    "customerProfile",
    "triggeredCampaigns",
    "loyalty",
    "event",
    "awardedGiveaways",
    "ruleFailureReasons",
]


class NewEvent(TalonRequest):
    """The v1 ``trackEvent`` body; ``profileId`` ``""`` is an anonymous session."""

    type: str
    attributes: Attributes
    session_id: str
    profile_id: str | None = None


class IntegrationEventV2Request(TalonRequest):
    type: str
    #: documented as effectively required: an event V2 belongs to a profile
    profile_id: str | None = None
    attributes: Attributes | None = None
    response_content: list[EventResponseContent] | None = None

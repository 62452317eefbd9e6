"""Typed effects of the promotion rule engine (Talon.One).

``PromotionEffect`` is a union of one type per kind of effect; every member implements the
``RuleEffect`` interface (effect type, campaign, rule), so a client can read the common
fields with ``... on RuleEffect`` and the specific ones per type. Effect types this gateway
does not model arrive as ``GenericEffect`` with their raw ``props``, so a new Talon.One
effect never breaks a client.
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Annotated, Any, TypedDict, TypeVar

import strawberry
from strawberry.scalars import JSON

from vendors.talon import models as t

__all__ = ["PromotionEffect", "promotion_effect"]


@strawberry.interface(description="What every rule-engine effect tells: its type and origin.")
class RuleEffect:
    effect_type: str = strawberry.field(
        description="Talon.One's name of the effect, e.g. `setDiscount` or `rejectCoupon`."
    )
    campaign_id: int | None = strawberry.field(
        description="The campaign that produced it; null when none did (e.g. an unknown code)."
    )
    ruleset_id: int | None = strawberry.field(description="The ruleset of that campaign.")
    rule_index: int | None = strawberry.field(description="The rule's index in the ruleset.")
    rule_name: str | None = strawberry.field(description="The rule's name.")
    triggered_by_coupon_id: int | None = strawberry.field(
        description="The coupon (Talon.One id) that triggered it, when one did."
    )


@strawberry.enum(description="Why a coupon code was not accepted.")
class CouponRejectionReason(Enum):
    COUPON_NOT_FOUND = strawberry.enum_value("CouponNotFound", description="No such code.")
    CAMPAIGN_NOT_RUNNING = strawberry.enum_value(
        "CouponPartOfNotRunningCampaign", description="Its campaign is not running."
    )
    COUPON_LIMIT_REACHED = strawberry.enum_value(
        "CouponLimitReached", description="The code was used as often as it may be."
    )
    CAMPAIGN_LIMIT_REACHED = strawberry.enum_value(
        "CampaignLimitReached", description="The campaign's budget is used up."
    )
    PROFILE_LIMIT_REACHED = strawberry.enum_value(
        "ProfileLimitReached", description="This customer used it as often as they may."
    )
    RECIPIENT_DOES_NOT_MATCH = strawberry.enum_value(
        "CouponRecipientDoesNotMatch", description="The code is reserved for someone else."
    )
    EXPIRED = strawberry.enum_value("CouponExpired", description="The code has expired.")
    NOT_STARTED = strawberry.enum_value(
        "CouponStartDateInFuture", description="The code is not valid yet."
    )
    CONDITION_NOT_MET = strawberry.enum_value(
        "CouponRejectedByCondition", description="The cart does not meet the rule's condition."
    )
    EFFECT_NOT_APPLICABLE = strawberry.enum_value(
        "EffectCouldNotBeApplied", description="The rule's effect could not be applied."
    )
    OTHER = strawberry.enum_value("Other", description="A reason this API does not know yet.")


@strawberry.enum(description="Why a referral code was not accepted.")
class ReferralRejectionReason(Enum):
    REFERRAL_NOT_FOUND = strawberry.enum_value("ReferralNotFound", description="No such code.")
    OWN_REFERRAL = strawberry.enum_value(
        "ReferralRecipientIdSameAsAdvocate", description="Advocates cannot use their own code."
    )
    CAMPAIGN_NOT_RUNNING = strawberry.enum_value(
        "ReferralPartOfNotRunningCampaign", description="Its campaign is not running."
    )
    REFERRAL_LIMIT_REACHED = strawberry.enum_value(
        "ReferralLimitReached", description="The code was used as often as it may be."
    )
    CAMPAIGN_LIMIT_REACHED = strawberry.enum_value(
        "CampaignLimitReached", description="The campaign's budget is used up."
    )
    PROFILE_LIMIT_REACHED = strawberry.enum_value(
        "ProfileLimitReached", description="This customer used it as often as they may."
    )
    RECIPIENT_DOES_NOT_MATCH = strawberry.enum_value(
        "ReferralRecipientDoesNotMatch", description="The code was made for another friend."
    )
    EXPIRED = strawberry.enum_value("ReferralExpired", description="The code has expired.")
    NOT_STARTED = strawberry.enum_value(
        "ReferralStartDateInFuture", description="The code is not valid yet."
    )
    CONDITION_NOT_MET = strawberry.enum_value(
        "ReferralRejectedByCondition", description="The cart does not meet the rule's condition."
    )
    EFFECT_NOT_APPLICABLE = strawberry.enum_value(
        "EffectCouldNotBeApplied", description="The rule's effect could not be applied."
    )
    OTHER = strawberry.enum_value("Other", description="A reason this API does not know yet.")


@strawberry.enum(description="What a rollback effect undoes.")
class RollbackKind(Enum):
    COUPON = strawberry.enum_value("rollbackCoupon", description="A coupon redemption.")
    REFERRAL = strawberry.enum_value("rollbackReferral", description="A referral redemption.")
    DISCOUNT = strawberry.enum_value("rollbackDiscount", description="A discount.")
    ADDED_LOYALTY_POINTS = strawberry.enum_value(
        "rollbackAddedLoyaltyPoints", description="Loyalty points that were added."
    )
    DEDUCTED_LOYALTY_POINTS = strawberry.enum_value(
        "rollbackDeductedLoyaltyPoints", description="Loyalty points that were deducted."
    )


@strawberry.type(description="Money off: the whole cart, one item, or an additional cost.")
class DiscountEffect(RuleEffect):
    name: str = strawberry.field(description="The discount's name, to show on the receipt.")
    value: float = strawberry.field(description="The amount taken off.")
    desired_value: float | None = strawberry.field(
        description="The amount the rule wanted, when a budget capped `value`."
    )
    scope: str | None = strawberry.field(
        description="What the discount applies to, e.g. `sessionTotal`, `cartItems`, `price`."
    )
    cart_item_position: int | None = strawberry.field(
        description="The discounted cart item's position; null for a cart-wide discount."
    )
    additional_cost: str | None = strawberry.field(
        description="The discounted additional cost (e.g. `shipping`), when it is one."
    )


@strawberry.type(description="A coupon code was accepted.")
class CouponAcceptedEffect(RuleEffect):
    code: str = strawberry.field(description="The coupon code.")


@strawberry.type(description="A coupon code was not accepted, and why.")
class CouponRejectedEffect(RuleEffect):
    code: str = strawberry.field(description="The coupon code.")
    reason: CouponRejectionReason = strawberry.field(description="Why it was rejected.")
    details: str | None = strawberry.field(description="More about the reason, when given.")


@strawberry.type(description="A referral code was accepted.")
class ReferralAcceptedEffect(RuleEffect):
    code: str = strawberry.field(description="The referral code.")


@strawberry.type(description="A referral code was not accepted, and why.")
class ReferralRejectedEffect(RuleEffect):
    code: str = strawberry.field(description="The referral code.")
    reason: ReferralRejectionReason = strawberry.field(description="Why it was rejected.")
    details: str | None = strawberry.field(description="More about the reason, when given.")


@strawberry.type
class _LedgerEntryEffect(RuleEffect):
    """What both loyalty points effects say of the ledger entry they make."""

    program_id: int = strawberry.field(description="The loyalty program.")
    sub_ledger_id: str = strawberry.field(description="The sub-ledger; empty for the main one.")
    points: float = strawberry.field(description="How many points.")
    transaction_id: str = strawberry.field(description="The points transaction's id.")


@strawberry.type(description="Loyalty points added (tentatively while the cart is open).")
class LoyaltyPointsAddedEffect(_LedgerEntryEffect):
    name: str = strawberry.field(description="The reason shown for the points.")
    recipient_customer_id: strawberry.ID = strawberry.field(
        description="The customer who receives them."
    )
    starts_at: datetime | None = strawberry.field(description="When the points become usable.")
    expires_at: datetime | None = strawberry.field(description="When the points expire.")
    cart_item_position: int | None = strawberry.field(
        description="The cart item that earned them, when one did."
    )


@strawberry.type(description="Loyalty points deducted (spent on this cart).")
class LoyaltyPointsDeductedEffect(_LedgerEntryEffect):
    name: str = strawberry.field(description="The reason shown for the deduction.")


@strawberry.type(description="A free item to add to the cart.")
class FreeItemEffect(RuleEffect):
    sku: str = strawberry.field(description="The free item's SKU.")
    name: str = strawberry.field(description="The free item's name.")


@strawberry.type(description="A message to show the customer.")
class NotificationEffect(RuleEffect):
    notification_type: str = strawberry.field(description="The kind of notification.")
    title: str = strawberry.field(description="The title to show.")
    body: str = strawberry.field(description="The text to show.")


@strawberry.type(description="An earlier effect undone (a cancelled session, or returned items).")
class RollbackEffect(RuleEffect):
    kind: RollbackKind = strawberry.field(description="What is undone.")
    code: str | None = strawberry.field(
        description="The coupon or referral code, for code rollbacks."
    )
    name: str | None = strawberry.field(description="The discount's name, for discounts.")
    value: float | None = strawberry.field(
        description="The money or points given back (discounts, points)."
    )
    cart_item_position: int | None = strawberry.field(
        description="The cart item the undone effect was tied to, when one."
    )
    program_id: int | None = strawberry.field(description="The loyalty program, for points.")
    transaction_id: str | None = strawberry.field(
        description="The points transaction undone, for points."
    )


@strawberry.type(
    description="Any other effect (e.g. `couponCreated`, `set`, `callApi`): the raw props."
)
class GenericEffect(RuleEffect):
    props: JSON = strawberry.field(description="The effect's properties as Talon.One sent them.")


PromotionEffect = Annotated[
    DiscountEffect
    | CouponAcceptedEffect
    | CouponRejectedEffect
    | ReferralAcceptedEffect
    | ReferralRejectedEffect
    | LoyaltyPointsAddedEffect
    | LoyaltyPointsDeductedEffect
    | FreeItemEffect
    | NotificationEffect
    | RollbackEffect
    | GenericEffect,
    strawberry.union(
        "PromotionEffect",
        description=(
            "One effect of the promotion rule engine. Every member implements `RuleEffect`; "
            "`GenericEffect` carries effects without a type of their own."
        ),
    ),
]


def _position(value: float | None) -> int | None:
    return None if value is None else int(value)


class _Origin(TypedDict):
    """The ``RuleEffect`` fields, typed so that every ``SomeEffect(**origin, ...)`` is checked."""

    effect_type: str
    campaign_id: int | None
    ruleset_id: int | None
    rule_index: int | None
    rule_name: str | None
    triggered_by_coupon_id: int | None


def _origin(e: t.Effect) -> _Origin:
    """Talon.One marks "none" with -1 (e.g. an unknown code has no campaign); GraphQL says null."""
    return _Origin(
        effect_type=e.effect_type,
        campaign_id=None if e.campaign_id < 0 else e.campaign_id,
        ruleset_id=None if e.ruleset_id < 0 else e.ruleset_id,
        rule_index=None if e.rule_index < 0 else e.rule_index,
        rule_name=e.rule_name or None,
        triggered_by_coupon_id=e.triggered_by_coupon,
    )


_Reason = TypeVar("_Reason", CouponRejectionReason, ReferralRejectionReason)


def _reason(enum: type[_Reason], value: str) -> _Reason:
    try:
        return enum(value)
    except ValueError:
        return enum("Other")


#: discounts of one cart item, and discounts of an additional cost (one item's, or the cart's)
_PerItem = t.SetDiscountPerItemEffectProps | t.SetDiscountPerAdditionalCostPerItemEffectProps
_PerCost = (
    t.SetDiscountPerAdditionalCostEffectProps | t.SetDiscountPerAdditionalCostPerItemEffectProps
)


def _discount(o: _Origin, p: t.EffectProps) -> DiscountEffect | None:
    if not isinstance(p, t.DiscountEffectProps):
        return None
    scope: str | None = "additionalCosts"
    if isinstance(p, t.SetDiscountEffectProps | t.SetDiscountPerItemEffectProps):
        scope = p.scope
    return DiscountEffect(
        **o,
        name=p.name,
        value=p.value,
        desired_value=p.desired_value,
        scope=scope,
        cart_item_position=_position(p.position) if isinstance(p, _PerItem) else None,
        additional_cost=p.additional_cost if isinstance(p, _PerCost) else None,
    )


def _codes(
    o: _Origin, p: t.EffectProps
) -> (
    CouponAcceptedEffect
    | CouponRejectedEffect
    | ReferralAcceptedEffect
    | ReferralRejectedEffect
    | None
):
    if isinstance(p, t.AcceptCouponEffectProps):
        return CouponAcceptedEffect(**o, code=p.value)
    if isinstance(p, t.RejectCouponEffectProps):
        reason = _reason(CouponRejectionReason, p.rejection_reason)
        return CouponRejectedEffect(**o, code=p.value, reason=reason, details=p.details)
    if isinstance(p, t.AcceptReferralEffectProps):
        return ReferralAcceptedEffect(**o, code=p.value)
    if isinstance(p, t.RejectReferralEffectProps):
        why = _reason(ReferralRejectionReason, p.rejection_reason)
        return ReferralRejectedEffect(**o, code=p.value, reason=why, details=p.details)
    return None


class _LedgerEntry(TypedDict):
    """What both loyalty points effects say of the ledger entry they make."""

    name: str
    program_id: int
    sub_ledger_id: str
    points: float
    transaction_id: str


def _points(
    o: _Origin, p: t.EffectProps
) -> LoyaltyPointsAddedEffect | LoyaltyPointsDeductedEffect | None:
    if not isinstance(p, t.AddLoyaltyPointsEffectProps | t.DeductLoyaltyPointsEffectProps):
        return None
    entry = _LedgerEntry(
        name=p.name,
        program_id=p.program_id,
        sub_ledger_id=p.sub_ledger_id,
        points=p.value,
        transaction_id=p.transaction_uuid,
    )
    if isinstance(p, t.DeductLoyaltyPointsEffectProps):
        return LoyaltyPointsDeductedEffect(**o, **entry)
    return LoyaltyPointsAddedEffect(
        **o,
        **entry,
        recipient_customer_id=strawberry.ID(p.recipient_integration_id),
        starts_at=p.start_date,
        expires_at=p.expiry_date,
        cart_item_position=_position(p.cart_item_position),
    )


def _rollback(o: _Origin, p: t.EffectProps) -> RollbackEffect | None:
    kind = RollbackKind.__members__.get(_ROLLBACK_KINDS.get(type(p), ""))
    if kind is None:
        return None
    code = name = program_id = transaction_id = position = value = None
    if isinstance(p, t.RollbackCouponEffectProps | t.RollbackReferralEffectProps):
        code = p.value
    elif isinstance(p, t.RollbackDiscountEffectProps):
        name, value, position = p.name, p.value, _position(p.cart_item_position)
    elif isinstance(p, t.LedgerEffectProps):  # points added or deducted, rolled back
        value, program_id, transaction_id = p.value, p.program_id, p.transaction_uuid
        if isinstance(p, t.RollbackAddedLoyaltyPointsEffectProps):
            position = _position(p.cart_item_position)
    return RollbackEffect(
        **o,
        kind=kind,
        code=code,
        name=name,
        value=value,
        cart_item_position=position,
        program_id=program_id,
        transaction_id=transaction_id,
    )


_ROLLBACK_KINDS: dict[type[t.EffectProps], str] = {
    t.RollbackCouponEffectProps: "COUPON",
    t.RollbackReferralEffectProps: "REFERRAL",
    t.RollbackDiscountEffectProps: "DISCOUNT",
    t.RollbackAddedLoyaltyPointsEffectProps: "ADDED_LOYALTY_POINTS",
    t.RollbackDeductedLoyaltyPointsEffectProps: "DEDUCTED_LOYALTY_POINTS",
}


def _other(o: _Origin, p: t.EffectProps) -> FreeItemEffect | NotificationEffect | None:
    if isinstance(p, t.AddFreeItemEffectProps):
        return FreeItemEffect(**o, sku=p.sku, name=p.name)
    if isinstance(p, t.ShowNotificationEffectProps):
        return NotificationEffect(
            **o, notification_type=p.notification_type, title=p.title, body=p.body
        )
    return None


def _props(p: t.EffectProps) -> dict[str, Any]:
    if isinstance(p, t.UnknownEffectProps):
        return p.raw
    return p.model_dump(mode="json", by_alias=True, exclude_none=True)


def promotion_effect(e: t.Effect) -> PromotionEffect:
    """The typed effect for a Talon.One effect (``GenericEffect`` when it has no type)."""
    o = _origin(e)
    for build in (_discount, _codes, _points, _rollback, _other):
        typed = build(o, e.props)
        if typed is not None:
            return typed
    return GenericEffect(**o, props=JSON(_props(e.props)))

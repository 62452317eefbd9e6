"""Rule-engine effects: ``Effect`` with typed ``props`` per ``effectType``.

``Effect.props`` is parsed into the props model of its ``effectType`` (by pydantic-core, see
``Effect.__get_pydantic_core_schema__``). An effect type this client does not know
(Talon.One keeps adding them), or known props that do not match their schema, become
:class:`UnknownEffectProps` holding the raw keys, so a new effect never breaks a response.
"""

from __future__ import annotations

import copy
from typing import Any, TypeAlias, cast

from pydantic import BaseModel, ConfigDict, Field, GetCoreSchemaHandler
from pydantic_core import core_schema

from vendors.talon.models._base import TalonModel, Timestamp

__all__ = [
    "EFFECT_PROPS",
    "AcceptCouponEffectProps",
    "AcceptReferralEffectProps",
    "AddFreeItemEffectProps",
    "AddLoyaltyPointsEffectProps",
    "AnyEffectProps",
    "AwardGiveawayEffectProps",
    "CouponCreatedEffectProps",
    "CustomEffectProps",
    "DeductLoyaltyPointsEffectProps",
    "DiscountEffectProps",
    "Effect",
    "EffectProps",
    "ErrorEffectProps",
    "LedgerEffectProps",
    "RedeemReferralEffectProps",
    "ReferralCreatedEffectProps",
    "RejectCouponEffectProps",
    "RejectReferralEffectProps",
    "RejectionEffectProps",
    "RollbackAddedLoyaltyPointsEffectProps",
    "RollbackCouponEffectProps",
    "RollbackDeductedLoyaltyPointsEffectProps",
    "RollbackDiscountEffectProps",
    "RollbackReferralEffectProps",
    "SetDiscountEffectProps",
    "SetDiscountPerAdditionalCostEffectProps",
    "SetDiscountPerAdditionalCostPerItemEffectProps",
    "SetDiscountPerItemEffectProps",
    "ShowBundleMetadataEffectProps",
    "ShowNotificationEffectProps",
    "TriggerWebhookEffectProps",
    "UnknownEffectProps",
    "UpdateAttributeEffectProps",
    "WillAwardGiveawayEffectProps",
]


class EffectProps(TalonModel):
    """Base of every effect's props."""


class AcceptCouponEffectProps(EffectProps):
    value: str


class RejectionEffectProps(EffectProps):
    """A code the rules refused, and why: coupons and referral codes alike."""

    value: str
    #: e.g. ``CouponNotFound``, ``ReferralExpired`` (text, so new reasons parse)
    rejection_reason: str
    details: str | None = None


class RejectCouponEffectProps(RejectionEffectProps):
    pass


class AcceptReferralEffectProps(EffectProps):
    value: str


class RejectReferralEffectProps(RejectionEffectProps):
    pass


class RedeemReferralEffectProps(EffectProps):
    """Deprecated by Talon.One."""

    id: int
    value: str


class DiscountEffectProps(EffectProps):
    """What every discount effect says, whatever it discounts."""

    name: str
    value: float
    desired_value: float | None = None


class SetDiscountEffectProps(DiscountEffectProps):
    #: ``cartItems`` | ``additionalCosts`` | ``sessionTotal``
    scope: str | None = None


class SetDiscountPerItemEffectProps(DiscountEffectProps):
    #: the cart index of the discounted item
    position: float
    #: ``price`` | ``itemTotal`` | ``additionalCosts``
    scope: str | None = None


class SetDiscountPerAdditionalCostEffectProps(DiscountEffectProps):
    additional_cost: str


class SetDiscountPerAdditionalCostPerItemEffectProps(DiscountEffectProps):
    position: float
    additional_cost: str


class LedgerEffectProps(EffectProps):
    """A change to a loyalty ledger (points added or deducted, or either rolled back)."""

    program_id: int
    sub_ledger_id: str
    value: float
    transaction_uuid: str = Field(alias="transactionUUID")


class AddLoyaltyPointsEffectProps(LedgerEffectProps):
    name: str
    recipient_integration_id: str
    start_date: Timestamp | None = None
    expiry_date: Timestamp | None = None
    cart_item_position: float | None = None


class DeductLoyaltyPointsEffectProps(LedgerEffectProps):
    name: str


class CouponCreatedEffectProps(EffectProps):
    """The full coupon is in the response's ``createdCoupons``."""

    value: str
    profile_id: str


class ReferralCreatedEffectProps(EffectProps):
    """The full referral is in the response's ``createdReferrals``."""

    value: str


class AddFreeItemEffectProps(EffectProps):
    sku: str
    name: str


class ShowNotificationEffectProps(EffectProps):
    notification_type: str
    title: str
    body: str


class UpdateAttributeEffectProps(EffectProps):
    """Props of the ``set`` effect (an attribute update)."""

    path: str
    value: Any


class TriggerWebhookEffectProps(EffectProps):
    """Props of the ``callApi`` effect (a webhook was triggered)."""

    webhook_id: float
    webhook_name: str


class AwardGiveawayEffectProps(EffectProps):
    pool_id: int
    pool_name: str
    recipient_integration_id: str
    giveaway_id: int
    code: str


class WillAwardGiveawayEffectProps(EffectProps):
    """Replaces ``awardGiveaway`` while the session is not closed (no code leaks)."""

    pool_id: int
    pool_name: str
    recipient_integration_id: str


class RollbackCouponEffectProps(EffectProps):
    value: str


class RollbackReferralEffectProps(EffectProps):
    value: str


class RollbackDiscountEffectProps(EffectProps):
    name: str
    value: float
    cart_item_position: float | None = None


class RollbackAddedLoyaltyPointsEffectProps(LedgerEffectProps):
    cart_item_position: float | None = None


class RollbackDeductedLoyaltyPointsEffectProps(LedgerEffectProps):
    """A deduction undone: the ledger entry alone (its own type names what is undone)."""


class ShowBundleMetadataEffectProps(EffectProps):
    """Deprecated by Talon.One."""

    description: str
    bundle_attributes: list[str]
    items_indices: list[float]


class ErrorEffectProps(EffectProps):
    message: str


class CustomEffectProps(EffectProps):
    effect_id: int
    name: str
    payload: dict[str, Any]


class UnknownEffectProps(EffectProps):
    """Props of an effect type this client does not model; every key is kept as sent."""

    model_config = ConfigDict(extra="allow")

    @property
    def raw(self) -> dict[str, Any]:
        return dict(self.model_extra or {})


#: ``effectType`` → its props model
EFFECT_PROPS: dict[str, type[EffectProps]] = {
    "acceptCoupon": AcceptCouponEffectProps,
    "rejectCoupon": RejectCouponEffectProps,
    "acceptReferral": AcceptReferralEffectProps,
    "rejectReferral": RejectReferralEffectProps,
    "redeemReferral": RedeemReferralEffectProps,
    "setDiscount": SetDiscountEffectProps,
    "setDiscountPerItem": SetDiscountPerItemEffectProps,
    "setDiscountPerAdditionalCost": SetDiscountPerAdditionalCostEffectProps,
    "setDiscountPerAdditionalCostPerItem": SetDiscountPerAdditionalCostPerItemEffectProps,
    "addLoyaltyPoints": AddLoyaltyPointsEffectProps,
    "deductLoyaltyPoints": DeductLoyaltyPointsEffectProps,
    "couponCreated": CouponCreatedEffectProps,
    "referralCreated": ReferralCreatedEffectProps,
    "addFreeItem": AddFreeItemEffectProps,
    "showNotification": ShowNotificationEffectProps,
    "set": UpdateAttributeEffectProps,
    "callApi": TriggerWebhookEffectProps,
    "awardGiveaway": AwardGiveawayEffectProps,
    "willAwardGiveaway": WillAwardGiveawayEffectProps,
    "rollbackCoupon": RollbackCouponEffectProps,
    "rollbackReferral": RollbackReferralEffectProps,
    "rollbackDiscount": RollbackDiscountEffectProps,
    "rollbackAddedLoyaltyPoints": RollbackAddedLoyaltyPointsEffectProps,
    "rollbackDeductedLoyaltyPoints": RollbackDeductedLoyaltyPointsEffectProps,
    "showBundleMetadata": ShowBundleMetadataEffectProps,
    "error": ErrorEffectProps,
    "customEffect": CustomEffectProps,
}

#: every props model an ``Effect`` may hold
AnyEffectProps: TypeAlias = (
    AcceptCouponEffectProps
    | RejectCouponEffectProps
    | AcceptReferralEffectProps
    | RejectReferralEffectProps
    | RedeemReferralEffectProps
    | SetDiscountEffectProps
    | SetDiscountPerItemEffectProps
    | SetDiscountPerAdditionalCostEffectProps
    | SetDiscountPerAdditionalCostPerItemEffectProps
    | AddLoyaltyPointsEffectProps
    | DeductLoyaltyPointsEffectProps
    | CouponCreatedEffectProps
    | ReferralCreatedEffectProps
    | AddFreeItemEffectProps
    | ShowNotificationEffectProps
    | UpdateAttributeEffectProps
    | TriggerWebhookEffectProps
    | AwardGiveawayEffectProps
    | WillAwardGiveawayEffectProps
    | RollbackCouponEffectProps
    | RollbackReferralEffectProps
    | RollbackDiscountEffectProps
    | RollbackAddedLoyaltyPointsEffectProps
    | RollbackDeductedLoyaltyPointsEffectProps
    | ShowBundleMetadataEffectProps
    | ErrorEffectProps
    | CustomEffectProps
    | UnknownEffectProps
)


def _fallback_props(props: object) -> EffectProps:
    """Props that no model of their ``effectType`` takes stay raw (a props model given in
    Python stays as it is). A plain function, not one before the union: checking the result
    against each of the union's models cost more than the rest of the effect."""
    if isinstance(props, AnyEffectProps):
        return props
    if isinstance(props, EffectProps):
        raise ValueError(f"{type(props).__name__} is not the props of one effect type")
    return UnknownEffectProps.model_validate(props if isinstance(props, dict) else {})


class Effect(TalonModel):
    """One effect of the rule engine (v2 shape). Do not rely on the order of effects."""

    #: ``-1`` when not tied to a campaign (e.g. ``rejectCoupon`` for an unknown code)
    campaign_id: int
    ruleset_id: int
    rule_index: int
    rule_name: str
    effect_type: str
    props: AnyEffectProps
    triggered_by_coupon: int | None = None

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: type[BaseModel], handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        """Validate as a tagged union on ``effectType``: these same fields once per known
        type, ``props`` typed, so pydantic-core picks the props model itself (a Python
        validator per effect cost more than the rest of a session read). What no choice
        takes, an unknown type or props that break their model, is read again with
        :class:`UnknownEffectProps`. Serialisation stays the declared model's."""
        schema: dict[str, Any] = dict(handler(source))
        if schema.get("serialization", {}).get("type") == "model":
            return cast(core_schema.CoreSchema, schema)  # built already: a field elsewhere
        declared: dict[str, Any] = schema.get("schema", {})
        if schema["type"] != "model" or declared.get("type") != "model-fields":
            raise TypeError(f"{cls.__name__}: unexpected core schema {schema['type']!r}")

        def fields_with(props: core_schema.CoreSchema) -> dict[str, Any]:
            fields = copy.deepcopy(declared)  # each choice owns its schema
            fields["fields"]["props"]["schema"] = props
            return fields

        #: the type as sent (``effectType``) or by name, as ``populate_by_name`` allows
        tag_paths: list[list[str | int]] = [
            [cls.model_fields["effect_type"].alias or "effect_type"],
            ["effect_type"],
        ]
        by_type = core_schema.tagged_union_schema(
            {t: fields_with(handler.generate_schema(m)) for t, m in EFFECT_PROPS.items()},
            discriminator=tag_paths,
        )
        fallback = fields_with(
            core_schema.no_info_plain_validator_function(
                _fallback_props, json_schema_input_schema=declared["fields"]["props"]["schema"]
            )
        )
        schema["schema"] = core_schema.union_schema([by_type, fallback], mode="left_to_right")
        schema["serialization"] = core_schema.model_ser_schema(cls, declared)
        return cast(core_schema.CoreSchema, schema)

"""The typed effects built from Talon.One effects: every ledger effect (points added,
deducted, and either rolled back) keeps its program, transaction and amount, and only the
fields its kind carries."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from schema.cart_effects import (
    LoyaltyPointsAddedEffect,
    LoyaltyPointsDeductedEffect,
    RollbackEffect,
    RollbackKind,
    promotion_effect,
)
from vendors.talon.models import Effect

LEDGER = {"programId": 7, "subLedgerId": "", "value": 50.0, "transactionUUID": "tx-1"}


def _effect(effect_type: str, props: dict[str, Any]) -> Any:
    return promotion_effect(
        Effect.model_validate(
            {
                "campaignId": 3,
                "rulesetId": 4,
                "ruleIndex": 0,
                "ruleName": "Points",
                "effectType": effect_type,
                "props": props,
            }
        )
    )


def test_added_points_carry_the_entry_and_the_recipient() -> None:
    props = {
        **LEDGER,
        "name": "Welcome",
        "recipientIntegrationId": "c-1",
        "startDate": "2026-01-01T00:00:00Z",
        "expiryDate": "2027-01-01T00:00:00Z",
        "cartItemPosition": 2.0,
    }
    added = _effect("addLoyaltyPoints", props)
    assert isinstance(added, LoyaltyPointsAddedEffect)
    assert (added.name, added.program_id, added.sub_ledger_id) == ("Welcome", 7, "")
    assert (added.points, added.transaction_id) == (50.0, "tx-1")
    assert (added.recipient_customer_id, added.cart_item_position) == ("c-1", 2)
    assert added.starts_at == datetime(2026, 1, 1, tzinfo=UTC)
    assert added.expires_at == datetime(2027, 1, 1, tzinfo=UTC)
    assert (added.campaign_id, added.rule_name) == (3, "Points")


def test_deducted_points_carry_the_entry() -> None:
    props = {**LEDGER, "name": "Spent", "ruleTitle": "Spend"}
    deducted = _effect("deductLoyaltyPoints", props)
    assert isinstance(deducted, LoyaltyPointsDeductedEffect)
    assert (deducted.name, deducted.program_id, deducted.sub_ledger_id) == ("Spent", 7, "")
    assert (deducted.points, deducted.transaction_id) == (50.0, "tx-1")


@pytest.mark.parametrize(
    ("effect_type", "extra", "kind", "position"),
    [
        ("rollbackAddedLoyaltyPoints", {"cartItemPosition": 1.0}, "ADDED_LOYALTY_POINTS", 1),
        ("rollbackDeductedLoyaltyPoints", {}, "DEDUCTED_LOYALTY_POINTS", None),
    ],
)
def test_rolled_back_points_name_the_program_and_transaction(
    effect_type: str, extra: dict[str, Any], kind: str, position: int | None
) -> None:
    props = {**LEDGER, "recipientIntegrationId": "c-1", **extra}
    rollback = _effect(effect_type, props)
    assert isinstance(rollback, RollbackEffect)
    assert rollback.kind is RollbackKind[kind]
    assert (rollback.value, rollback.program_id, rollback.transaction_id) == (50.0, 7, "tx-1")
    assert rollback.cart_item_position == position
    assert (rollback.code, rollback.name) == (None, None)


def test_rolled_back_codes_and_discounts_carry_no_ledger() -> None:
    coupon = _effect("rollbackCoupon", {"value": "SAVE10"})
    discount = _effect("rollbackDiscount", {"name": "Ten off", "value": 10.0})
    assert (coupon.kind, coupon.code, coupon.program_id) == (RollbackKind.COUPON, "SAVE10", None)
    assert (discount.kind, discount.name, discount.value) == (
        RollbackKind.DISCOUNT,
        "Ten off",
        10.0,
    )
    assert (discount.program_id, discount.transaction_id) == (None, None)

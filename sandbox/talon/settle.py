"""What closing, cancelling and returning a session does to coupons, referrals and ledgers.

- closing redeems: coupon/referral ``usageCounter`` +1, redeemed coupons become reserved for
  the profile, tentative loyalty points become ledger transactions (docs/vendors/talon.md §5.6);
- cancelling a closed session emits rollback effects for everything still in force and
  undoes it (coupons usable again; attribute changes and created coupons stay,
  docs/vendors/talon.md §5.7);
- a return rolls back the per-item discounts and a proportional share of the points of the
  returned lines (docs/vendors/talon.md §5.8).
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Any

from sandbox.talon.cart import money, remaining_value
from sandbox.talon.entities import LoyaltyTx, Profile, Session, TentativePoints
from sandbox.talon.rules import Outcome, effect
from sandbox.talon.store import Tx


def ledger_entry(tx: Tx, profile_id: str, ltx: LoyaltyTx) -> dict[str, Any]:
    """``LedgerEntry`` of the event that created a ledger transaction."""
    expiry = ltx.expiry_date or (ltx.created + timedelta(days=365 * 100))
    return {
        "id": ltx.id,
        "created": _ts(ltx.created),
        "profileId": profile_id,
        "accountId": tx.app.account.id,
        "loyaltyProgramId": ltx.program_id,
        "eventId": ltx.event_id,
        "amount": round(ltx.amount),
        "reason": ltx.reason,
        "expiryDate": _ts(expiry),
    }


def _ts(value: datetime) -> str:
    return value.isoformat().replace("+00:00", "Z")


def book_points(
    tx: Tx, profile_id: str, points: list[TentativePoints], session_id: str = ""
) -> list[LoyaltyTx]:
    """Write points (earned > 0, spent < 0) to the profile's ledger."""
    booked = []
    for p in points:
        ltx = LoyaltyTx(
            id=tx.new_id("ledger"),
            created=tx.now,
            program_id=p.program_id,
            subledger_id=p.subledger_id,
            amount=p.amount,
            reason=p.name,
            transaction_uuid=p.transaction_uuid,
            start_date=p.start_date or tx.now,
            expiry_date=p.expiry_date,
            session_id=session_id,
            kind="addition" if p.amount > 0 else "subtraction",
        )
        tx.add_ledger(profile_id, ltx)
        booked.append(ltx)
    return booked


def redeem(
    tx: Tx, session: Session, profile: Profile | None, outcome: Outcome, sales: float
) -> list[LoyaltyTx]:
    """Closing a session: redeem codes, book points, count the sale."""
    pid = session.profile_id
    for accepted in outcome.accepted_coupons:
        coupon = tx.coupon_for_update(accepted.value)
        if coupon is None:
            continue
        coupon.usage_counter += 1
        coupon.discount_counter = money(
            coupon.discount_counter
            + sum(
                float(e["props"]["value"])
                for e in outcome.effects
                if e.get("triggeredByCoupon") == coupon.id
                and e["effectType"] in ("setDiscount", "setDiscountPerItem")
            )
        )
        if pid:
            coupon.redemptions[pid] = coupon.redemptions.get(pid, 0) + 1
            if pid not in coupon.reserved_for and coupon.recipient_integration_id != pid:
                coupon.reserved_for.append(pid)
    if outcome.accepted_referral is not None:
        referral = tx.referral_for_update(outcome.accepted_referral.code)
        if referral is not None:
            referral.usage_counter += 1
            if pid and pid not in referral.referred_customers:
                referral.referred_customers.append(pid)
    booked = book_points(tx, pid, outcome.points, session.integration_id) if pid else []
    session.tentative = []
    session.counted_sales = sales
    if profile is not None:
        profile.closed_sessions += 1
        profile.total_sales = money(profile.total_sales + sales)
    return booked


def _reverse_points(
    tx: Tx, session: Session, transaction_uuid: str, amount: float, kind: str
) -> LoyaltyTx | None:
    """A ledger transaction undoing ``amount`` of an earlier one (same dates)."""
    original = next(
        (t for t in tx.ledger_of(session.profile_id) if t.transaction_uuid == transaction_uuid),
        None,
    )
    if original is None:
        return None
    ltx = LoyaltyTx(
        id=tx.new_id("ledger"),
        created=tx.now,
        program_id=original.program_id,
        subledger_id=original.subledger_id,
        amount=amount,
        reason=f"rollback: {original.reason}",
        transaction_uuid=transaction_uuid,
        start_date=original.start_date,
        expiry_date=original.expiry_date,
        session_id=session.integration_id,
        kind=kind,
    )
    tx.add_ledger(session.profile_id, ltx)
    return ltx


def _rollback_of(e: dict[str, Any], recipient: str) -> tuple[str, dict[str, Any]] | None:
    props = e["props"]
    kind = e["effectType"]
    if kind == "acceptCoupon":
        return "rollbackCoupon", {"value": props["value"]}
    if kind == "acceptReferral":
        return "rollbackReferral", {"value": props["value"]}
    if kind == "setDiscount":
        out = {"name": props["name"], "value": props["value"]}
        if "scope" in props:
            out["scope"] = props["scope"]
        return "rollbackDiscount", out
    if kind == "setDiscountPerItem":
        return "rollbackDiscount", {
            "name": props["name"],
            "value": props["value"],
            "cartItemPosition": props["position"],
        }
    if kind in ("addLoyaltyPoints", "deductLoyaltyPoints"):
        name = (
            "rollbackAddedLoyaltyPoints"
            if kind == "addLoyaltyPoints"
            else "rollbackDeductedLoyaltyPoints"
        )
        return name, {
            "programId": props["programId"],
            "subLedgerId": props["subLedgerId"],
            "value": props["value"],
            "recipientIntegrationId": props.get("recipientIntegrationId", recipient),
            "transactionUUID": props["transactionUUID"],
        }
    return None


def revoke(
    tx: Tx, session: Session, profile: Profile | None
) -> tuple[list[dict[str, Any]], list[LoyaltyTx]]:
    """Cancelling a closed (or partially returned) session: roll back what is in force."""
    pid = session.profile_id
    rollbacks: list[dict[str, Any]] = []
    booked: list[LoyaltyTx] = []
    for e in session.effects:
        mapped = _rollback_of(e, pid)
        if mapped is None:
            continue
        name, props = mapped
        rollbacks.append(
            effect(e["campaignId"], e["rulesetId"], e["ruleIndex"], e["ruleName"], name, props)
        )
        if name == "rollbackCoupon":
            coupon = tx.coupon_for_update(props["value"])
            if coupon is not None:
                coupon.usage_counter = max(0, coupon.usage_counter - 1)
                if pid and coupon.redemptions.get(pid):
                    coupon.redemptions[pid] -= 1
        elif name == "rollbackReferral":
            referral = tx.referral_for_update(props["value"])
            if referral is not None:
                referral.usage_counter = max(0, referral.usage_counter - 1)
                if pid in referral.referred_customers:
                    referral.referred_customers.remove(pid)
        elif name == "rollbackAddedLoyaltyPoints":
            ltx = _reverse_points(
                tx, session, props["transactionUUID"], -float(props["value"]), "rollback_addition"
            )
            if ltx:
                booked.append(ltx)
        elif name == "rollbackDeductedLoyaltyPoints":
            ltx = _reverse_points(
                tx, session, props["transactionUUID"], float(props["value"]), "rollback_subtraction"
            )
            if ltx:
                booked.append(ltx)
    if profile is not None:
        profile.closed_sessions = max(0, profile.closed_sessions - 1)
        profile.total_sales = money(profile.total_sales - session.counted_sales)
    session.counted_sales = 0.0
    session.effects = []
    return rollbacks, booked


def return_items(
    tx: Tx, session: Session, profile: Profile | None, lines: dict[int, int]
) -> tuple[list[dict[str, Any]], list[LoyaltyTx], float]:
    """Return ``{position: quantity}``: rollbacks of the lines' discounts and points."""
    items = {int(i["position"]): i for i in session.cart_items}
    value_before = remaining_value(session.cart_items, session.returned)
    returned_value = money(sum(float(items[p]["price"]) * q for p, q in lines.items()))
    rollbacks: list[dict[str, Any]] = []
    booked: list[LoyaltyTx] = []
    kept: list[dict[str, Any]] = []
    for e in session.effects:
        props = e["props"]
        kind = e["effectType"]
        if kind == "setDiscountPerItem" and int(props["position"]) in lines:
            position = int(props["position"])
            left = int(items[position]["quantity"]) - session.returned.get(position, 0)
            share = money(float(props["value"]) * lines[position] / left) if left else 0.0
            rollbacks.append(
                effect(
                    e["campaignId"],
                    e["rulesetId"],
                    e["ruleIndex"],
                    e["ruleName"],
                    "rollbackDiscount",
                    {"name": props["name"], "value": share, "cartItemPosition": position},
                )
            )
            rest = money(float(props["value"]) - share)
            if rest > 0:
                kept.append({**e, "props": {**props, "value": rest}})
            continue
        if kind == "addLoyaltyPoints" and value_before > 0:
            points = float(props["value"])
            total_back = 0.0
            for position, quantity in sorted(lines.items()):
                line_value = float(items[position]["price"]) * quantity
                back = float(math.floor(points * line_value / value_before))
                if back <= 0:
                    continue
                total_back += back
                rollbacks.append(
                    effect(
                        e["campaignId"],
                        e["rulesetId"],
                        e["ruleIndex"],
                        e["ruleName"],
                        "rollbackAddedLoyaltyPoints",
                        {
                            "programId": props["programId"],
                            "subLedgerId": props["subLedgerId"],
                            "value": _num(back),
                            "recipientIntegrationId": props["recipientIntegrationId"],
                            "transactionUUID": props["transactionUUID"],
                            "cartItemPosition": position,
                        },
                    )
                )
                ltx = _reverse_points(
                    tx, session, props["transactionUUID"], -back, "rollback_addition"
                )
                if ltx:
                    booked.append(ltx)
            rest = points - total_back
            if rest > 0:
                kept.append({**e, "props": {**props, "value": _num(rest)}})
            continue
        kept.append(e)
    session.effects = kept
    for position, quantity in lines.items():
        session.returned[position] = session.returned.get(position, 0) + quantity
    if profile is not None:
        profile.total_sales = money(profile.total_sales - returned_value)
    session.counted_sales = money(session.counted_sales - returned_value)
    return rollbacks, booked, returned_value


def _num(value: float) -> float | int:
    return int(value) if value == int(value) else round(value, 2)

"""``GET /v1/customer_profiles/{id}/inventory``: what a profile holds
(docs/vendors/talon.md §6.9)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sandbox.talon.errors import TalonError, api_error, not_found
from sandbox.talon.loyalty import MAX_PROJECTION_DAYS
from sandbox.talon.store import Tx
from sandbox.talon.wire import (
    giveaway_json,
    inventory_coupon_json,
    inventory_referral_json,
    loyalty_json,
    profile_json,
)


def check_projection_end(end: datetime, now: datetime) -> None:
    if end <= now or end > now + timedelta(days=MAX_PROJECTION_DAYS):
        raise TalonError(
            400,
            "The submitted data was invalid",
            [
                api_error(
                    "Invalid value",
                    f"loyaltyProjectionEndDate must be in the future and at most "
                    f"{MAX_PROJECTION_DAYS} days from now.",
                    parameter="loyaltyProjectionEndDate",
                )
            ],
            kind="with_status",
        )


def customer_inventory(
    tx: Tx,
    integration_id: str,
    *,
    profile: bool,
    referrals: bool,
    coupons: bool,
    loyalty: bool,
    giveaways: bool,
    projection_end: datetime | None,
) -> dict[str, Any]:
    record = tx.profile(integration_id)
    if record is None:
        raise not_found(
            f"Customer profile {integration_id!r} does not exist.", resource="customerProfile"
        )
    if projection_end is not None:
        check_projection_end(projection_end, tx.now)
    app = tx.app
    body: dict[str, Any] = {}
    if profile:
        body["profile"] = profile_json(record, tx)
    if loyalty:
        body["loyalty"] = loyalty_json(tx, integration_id, projection_end)
    if referrals:
        body["referrals"] = [
            inventory_referral_json(r)
            for r in sorted(app.referrals.values(), key=lambda r: r.id)
            if r.advocate_profile_integration_id == integration_id
        ]
    if coupons:
        held = [
            c
            for c in app.coupons.values()
            if integration_id in c.reserved_for
            or c.recipient_integration_id == integration_id
            or c.redemptions.get(integration_id)
        ]
        body["coupons"] = [
            inventory_coupon_json(c, integration_id, app.campaign(c.campaign_id), tx.now)
            for c in sorted(held, key=lambda c: c.id)
        ]
    if giveaways:
        body["giveaways"] = [
            giveaway_json(g)
            for g in sorted(app.giveaways.values(), key=lambda g: g.id)
            if g.awarded_to == integration_id
        ]
    return body

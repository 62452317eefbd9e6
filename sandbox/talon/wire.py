"""Records → Talon.One JSON (2022 shapes; a few newer required keys added, see ``SDK_EXTRAS``).

The newest official SDK (its models are strict) requires some keys the 2022 spec did not
have. We emit them too, so both old and new clients parse our answers:

- ``CustomerSessionV2.updateCount``;
- ``Campaign.frontendState`` and ``Campaign.storesImported``;
- ``IntegrationStateV2.coupons[*].profileRedemptionCount`` (newer ``IntegrationCoupon``);
- bulk profile update items carry ``customerProfile`` (newer ``CustomerProfileUpdateV2Response``)
  next to the 2022 ``effects``/``createdCoupons``/``createdReferrals``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sandbox.talon.campaigns import CampaignSpec
from sandbox.talon.cart import additional_cost_total, cart_item_total, money, with_return_quantities
from sandbox.talon.entities import (
    Audience,
    Coupon,
    Event,
    Giveaway,
    Profile,
    Referral,
    Return,
    Session,
)
from sandbox.talon.loyalty import program_ledgers
from sandbox.talon.options import TalonSandboxOptions
from sandbox.talon.store import Tx

SDK_EXTRAS = ("updateCount", "frontendState", "storesImported", "profileRedemptionCount")


def ts(value: datetime) -> str:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _put(target: dict[str, Any], key: str, value: Any) -> None:
    if value is not None:
        target[key] = ts(value) if isinstance(value, datetime) else value


def profile_json(profile: Profile, tx: Tx) -> dict[str, Any]:
    memberships = []
    for audience_id in profile.audience_ids:
        audience = tx.audience(audience_id)
        if audience is not None:
            memberships.append({"id": audience.id, "name": audience.name})
    return {
        "id": profile.id,
        "created": ts(profile.created),
        "integrationId": profile.integration_id,
        "attributes": profile.attributes,
        "accountId": profile.account_id,
        "closedSessions": profile.closed_sessions,
        "totalSales": money(profile.total_sales),
        "audienceMemberships": memberships,
        "lastActivity": ts(profile.last_activity),
        "sandbox": False,
    }


def session_totals(session: Session, options: TalonSandboxOptions) -> tuple[float, float, float]:
    items = session.cart_items
    cart = cart_item_total(items)
    costs = additional_cost_total(
        items,
        session.additional_costs,
        include_item_costs=options.item_costs_in_additional_cost_total,
    )
    return cart, costs, money(cart + costs)


def session_json(session: Session, options: TalonSandboxOptions) -> dict[str, Any]:
    cart, costs, total = session_totals(session, options)
    data: dict[str, Any] = {
        "id": session.id,
        "created": ts(session.created),
        "integrationId": session.integration_id,
        "applicationId": session.application_id,
        "profileId": session.profile_id,
        "couponCodes": session.coupon_codes,
        "referralCode": session.referral_code,
        "loyaltyCards": session.loyalty_cards,
        "state": session.state,
        "cartItems": with_return_quantities(session.cart_items, session.returned),
        "additionalCosts": session.additional_costs,
        "identifiers": session.identifiers,
        "attributes": session.attributes,
        "firstSession": session.first_session,
        "total": total,
        "cartItemTotal": cart,
        "additionalCostTotal": costs,
        "updated": ts(session.updated),
        "updateCount": session.update_count,
    }
    return data


def v1_session_json(session: Session, options: TalonSandboxOptions) -> dict[str, Any]:
    """v1 ``CustomerSession``: one ``coupon``, one ``referral``, and ``discounts``."""
    _, _, total = session_totals(session, options)
    discounts: dict[str, float] = {}
    for effect in session.effects:
        if effect["effectType"] in ("setDiscount", "setDiscountPerItem"):
            name = str(effect["props"]["name"])
            discounts[name] = money(discounts.get(name, 0.0) + float(effect["props"]["value"]))
    return {
        "integrationId": session.integration_id,
        "created": ts(session.created),
        "applicationId": session.application_id,
        "profileId": session.profile_id,
        "coupon": session.coupon_codes[0] if session.coupon_codes else "",
        "referral": session.referral_code,
        "state": session.state,
        "cartItems": with_return_quantities(session.cart_items, session.returned),
        "identifiers": session.identifiers,
        "total": total,
        "attributes": session.attributes,
        "firstSession": session.first_session,
        "discounts": discounts,
        "updated": ts(session.updated),
    }


def coupon_json(coupon: Coupon) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": coupon.id,
        "created": ts(coupon.created),
        "campaignId": coupon.campaign_id,
        "value": coupon.value,
        "usageLimit": coupon.usage_limit,
        "usageCounter": coupon.usage_counter,
    }
    _put(data, "discountLimit", coupon.discount_limit)
    _put(data, "startDate", coupon.start_date)
    _put(data, "expiryDate", coupon.expiry_date)
    data["discountCounter"] = money(coupon.discount_counter)
    data["attributes"] = coupon.attributes
    _put(data, "referralId", coupon.referral_id)
    _put(data, "recipientIntegrationId", coupon.recipient_integration_id)
    data["reservation"] = coupon.reservation
    _put(data, "batchId", coupon.batch_id)
    return data


def integration_coupon_json(coupon: Coupon, profile_id: str) -> dict[str, Any]:
    data = coupon_json(coupon)
    data["profileRedemptionCount"] = coupon.redemptions.get(profile_id, 0)
    return data


def coupon_state(
    coupon: Coupon, profile_id: str, campaign: CampaignSpec | None, now: datetime
) -> str:
    """``InventoryCoupon.state`` (docs/vendors/talon.md §6.9)."""
    if coupon.redemptions.get(profile_id, 0) > 0:
        return "used"
    if coupon.usage_limit and coupon.usage_counter >= coupon.usage_limit:
        return "used"
    if coupon.expiry_date is not None and coupon.expiry_date <= now:
        return "expired"
    if coupon.start_date is not None and coupon.start_date > now:
        return "pending"
    if campaign is None or campaign.state != "enabled":
        return "disabled"
    return "active"


def inventory_coupon_json(
    coupon: Coupon, profile_id: str, campaign: CampaignSpec | None, now: datetime
) -> dict[str, Any]:
    data = integration_coupon_json(coupon, profile_id)
    data["state"] = coupon_state(coupon, profile_id, campaign, now)
    return data


def referral_json(referral: Referral) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": referral.id,
        "created": ts(referral.created),
    }
    _put(data, "startDate", referral.start_date)
    _put(data, "expiryDate", referral.expiry_date)
    data.update(
        {
            "usageLimit": referral.usage_limit,
            "campaignId": referral.campaign_id,
            "advocateProfileIntegrationId": referral.advocate_profile_integration_id,
        }
    )
    _put(data, "friendProfileIntegrationId", referral.friend_profile_integration_id)
    data["attributes"] = referral.attributes
    data["code"] = referral.code
    data["usageCounter"] = referral.usage_counter
    _put(data, "batchId", referral.batch_id)
    return data


def inventory_referral_json(referral: Referral) -> dict[str, Any]:
    data = referral_json(referral)
    data["referredCustomers"] = list(referral.referred_customers)
    return data


def _frontend_state(campaign: CampaignSpec, now: datetime) -> str:
    if campaign.state == "archived":
        return "archived"
    if campaign.state == "disabled":
        return "disabled"
    if campaign.startTime is not None and now < campaign.startTime:
        return "scheduled"
    if campaign.endTime is not None and now >= campaign.endTime:
        return "expired"
    return "running"


def campaign_json(campaign: CampaignSpec, application_id: int, now: datetime) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": campaign.id,
        "created": ts(campaign.created),
        "applicationId": application_id,
        "userId": 1,
        "name": campaign.name,
        "description": campaign.description,
        "state": campaign.state,
        "activeRulesetId": campaign.rulesetId,
        "tags": campaign.tags,
        "features": campaign.features,
        "limits": [limit.model_dump(exclude_none=True) for limit in campaign.limits],
        "attributes": campaign.attributes,
        "frontendState": _frontend_state(campaign, now),
        "storesImported": False,
    }
    _put(data, "startTime", campaign.startTime)
    _put(data, "endTime", campaign.endTime)
    if campaign.couponSettings is not None:
        data["couponSettings"] = campaign.couponSettings.model_dump()
    if campaign.referralSettings is not None:
        data["referralSettings"] = campaign.referralSettings.model_dump()
    return data


def event_json(event: Event) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": event.id,
        "created": ts(event.created),
        "applicationId": event.application_id,
        "profileId": event.profile_id,
        "type": event.type,
        "attributes": event.attributes,
    }
    _put(data, "sessionId", event.session_id)
    data["effects"] = event.effects
    data["ledgerEntries"] = event.ledger_entries
    if event.meta:
        data["meta"] = event.meta
    return data


def return_json(ret: Return) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": ret.id,
        "created": ts(ret.created),
        "applicationId": ret.application_id,
        "accountId": ret.account_id,
        "returnedCartItems": ret.returned_cart_items,
        "eventId": ret.event_id,
        "sessionId": ret.session_id,
        "sessionIntegrationId": ret.session_integration_id,
    }
    _put(data, "profileId", ret.profile_id)
    _put(data, "profileIntegrationId", ret.profile_integration_id)
    return data


def giveaway_json(giveaway: Giveaway) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": giveaway.id,
        "created": ts(giveaway.created),
        "code": giveaway.code,
        "poolId": giveaway.pool_id,
    }
    _put(data, "startDate", giveaway.start_date)
    _put(data, "endDate", giveaway.end_date)
    data["attributes"] = giveaway.attributes
    data["used"] = giveaway.used
    return data


def audience_json(audience: Audience) -> dict[str, Any]:
    data: dict[str, Any] = {
        "accountId": audience.account_id,
        "id": audience.id,
        "created": ts(audience.created),
        "name": audience.name,
        "sandbox": audience.sandbox,
    }
    _put(data, "description", audience.description)
    _put(data, "integration", audience.integration)
    _put(data, "integrationId", audience.integration_id)
    _put(data, "createdIn3rdParty", audience.created_in_3rd_party)
    _put(data, "lastUpdate", audience.last_update)
    return data


def loyalty_json(tx: Tx, profile_id: str, projection_end: datetime | None = None) -> dict[str, Any]:
    """``Loyalty`` of a profile: every program it has points (or tentative points) in."""
    txs = tx.ledger_of(profile_id)
    tentative = [
        point
        for session in tx.sessions()
        if session.profile_id == profile_id and session.state == "open"
        for point in session.tentative
    ]
    programs: dict[str, Any] = {}
    for program in tx.app.programs.values():
        p_txs = [t for t in txs if t.program_id == program.id]
        p_tent = [t for t in tentative if t.program_id == program.id]
        if p_txs or p_tent:
            programs[str(program.id)] = program_ledgers(
                program, p_txs, p_tent, tx.now, projection_end
            )
    return {"programs": programs}


# --- v1 positional effects -------------------------------------------------------------

_V1_ARGS: dict[str, tuple[str, ...]] = {
    "setDiscount": ("name", "value"),
    "setDiscountPerItem": ("name", "value", "position"),
    "acceptCoupon": ("value",),
    "rejectCoupon": ("value", "rejectionReason"),
    "acceptReferral": ("value",),
    "rejectReferral": ("value", "rejectionReason"),
    "addLoyaltyPoints": (
        "name",
        "programId",
        "subLedgerId",
        "value",
        "recipientIntegrationId",
        "transactionUUID",
    ),
    "deductLoyaltyPoints": (
        "ruleTitle",
        "programId",
        "subLedgerId",
        "value",
        "transactionUUID",
        "name",
    ),
    "couponCreated": ("value", "profileId"),
    "referralCreated": ("value",),
    "addFreeItem": ("sku", "name"),
    "showNotification": ("notificationType", "title", "body"),
    "awardGiveaway": ("poolId", "poolName", "recipientIntegrationId", "giveawayId", "code"),
    "willAwardGiveaway": ("poolId", "poolName", "recipientIntegrationId"),
    "rollbackCoupon": ("value",),
    "rollbackReferral": ("value",),
    "rollbackDiscount": ("name", "value"),
    "rollbackAddedLoyaltyPoints": (
        "programId",
        "subLedgerId",
        "value",
        "recipientIntegrationId",
        "transactionUUID",
    ),
    "rollbackDeductedLoyaltyPoints": (
        "programId",
        "subLedgerId",
        "value",
        "recipientIntegrationId",
        "transactionUUID",
    ),
}


def v1_effect(effect: dict[str, Any]) -> list[Any]:
    """``[campaignId, rulesetId, ruleIndex, [effectName, ...args]]`` ([G]: args are the
    effect's required props in the documented order)."""
    props = effect["props"]
    names = _V1_ARGS.get(effect["effectType"])
    args = [props.get(n) for n in names] if names else list(props.values())
    return [
        effect["campaignId"],
        effect["rulesetId"],
        effect["ruleIndex"],
        [effect["effectType"], *args],
    ]

"""Documented Talon.One response bodies (2022 spec examples, trimmed), as JSON-ready dicts."""

from __future__ import annotations

from typing import Any

CREATED = "2020-06-10T09:05:27.993483Z"

#: one documented ``props`` example per effect type (required keys and a few optional ones)
EFFECT_PROPS_EXAMPLES: dict[str, dict[str, Any]] = {
    "acceptCoupon": {"value": "XMAS-20-2021"},
    "rejectCoupon": {
        "value": "NOPE-0000",
        "rejectionReason": "CouponNotFound",
        "conditionIndex": 1,
        "effectIndex": 0,
        "details": "no such coupon",
    },
    "acceptReferral": {"value": "NT2K54D9"},
    "rejectReferral": {
        "value": "NT2K54D9",
        "rejectionReason": "ReferralRecipientIdSameAsAdvocate",
    },
    "redeemReferral": {"id": 7, "value": "NT2K54D9"},
    "setDiscount": {"name": "10% off", "value": 12.5, "scope": "sessionTotal"},
    "setDiscountPerItem": {
        "name": "shoes#0",
        "value": 5.0,
        "position": 0,
        "subPosition": 1,
        "scope": "price",
        "bundleIndex": 2,
        "bundleName": "duo",
    },
    "setDiscountPerAdditionalCost": {
        "name": "free shipping",
        "additionalCostId": 3,
        "additionalCost": "shipping",
        "value": 9.0,
    },
    "setDiscountPerAdditionalCostPerItem": {
        "name": "item shipping",
        "additionalCostId": 3,
        "value": 1.5,
        "position": 1,
        "additionalCost": "shipping",
    },
    "addLoyaltyPoints": {
        "name": "points",
        "programId": 5,
        "subLedgerId": "",
        "value": 25.0,
        "recipientIntegrationId": "URNGV8294NV",
        "transactionUUID": "2bb8a1e4-2a0b-4a48-9c52-6d8f6a0f4c1d",
        "startDate": "2022-01-01T00:00:00Z",
        "cardIdentifier": "card-1",
    },
    "deductLoyaltyPoints": {
        "ruleTitle": "spend points",
        "programId": 5,
        "subLedgerId": "",
        "value": 10.0,
        "transactionUUID": "8a3f0a5e-1111-4c2a-9d77-0e3b2c1d4e5f",
        "name": "My program",
    },
    "couponCreated": {"value": "NEW-1234", "profileId": "URNGV8294NV"},
    "referralCreated": {"value": "REF-ABC-123"},
    "addFreeItem": {"sku": "SKU-FREE", "name": "Free socks"},
    "showNotification": {"notificationType": "info", "title": "Hi", "body": "You saved"},
    "set": {"path": "profile.Tier", "value": ["gold", 3]},
    "callApi": {"webhookId": 12, "webhookName": "crm-sync"},
    "awardGiveaway": {
        "poolId": 4,
        "poolName": "gift cards",
        "recipientIntegrationId": "URNGV8294NV",
        "giveawayId": 44,
        "code": "GIFT-XYZ",
    },
    "willAwardGiveaway": {
        "poolId": 4,
        "poolName": "gift cards",
        "recipientIntegrationId": "URNGV8294NV",
    },
    "rollbackCoupon": {"value": "XMAS-20-2021"},
    "rollbackReferral": {"value": "NT2K54D9"},
    "rollbackDiscount": {"name": "10% off", "value": 12.5, "cartItemPosition": 0, "scope": "price"},
    "rollbackAddedLoyaltyPoints": {
        "programId": 5,
        "subLedgerId": "",
        "value": 25.0,
        "recipientIntegrationId": "URNGV8294NV",
        "transactionUUID": "2bb8a1e4-2a0b-4a48-9c52-6d8f6a0f4c1d",
    },
    "rollbackDeductedLoyaltyPoints": {
        "programId": 5,
        "subLedgerId": "",
        "value": 10.0,
        "recipientIntegrationId": "URNGV8294NV",
        "transactionUUID": "8a3f0a5e-1111-4c2a-9d77-0e3b2c1d4e5f",
        "expiryDate": "2023-01-01T00:00:00Z",
    },
    "showBundleMetadata": {
        "description": "shoe bundle",
        "bundleAttributes": ["color"],
        "itemsIndices": [0, 1],
    },
    "error": {"message": "rule failed"},
    "customEffect": {"effectId": 9, "name": "banner", "payload": {"slot": "top"}},
}


def effect(effect_type: str, props: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "campaignId": 54,
        "rulesetId": 22,
        "ruleIndex": 0,
        "ruleName": "Cool-Summer",
        "effectType": effect_type,
        "props": EFFECT_PROPS_EXAMPLES.get(effect_type, {}) if props is None else props,
    }
    return body | extra


def customer_profile(integration_id: str = "URNGV8294NV", **extra: Any) -> dict[str, Any]:
    return {
        "id": 6,
        "created": CREATED,
        "integrationId": integration_id,
        "attributes": {"Language": "english"},
        "accountId": 31,
        "closedSessions": 3,
        "totalSales": 299.99,
        "lastActivity": "2020-02-08T14:15:20Z",
        "audienceMemberships": [{"id": 2, "name": "Travel audience"}],
        "loyaltyMemberships": [{"joined": CREATED, "loyaltyProgramId": 323414846}],
    } | extra


def cart_item(**extra: Any) -> dict[str, Any]:
    return {
        "name": "Air Glide",
        "sku": "SKU1241028",
        "quantity": 1,
        "price": 99.99,
        "category": "shoes",
        "catalogItemID": 5,
        "position": 0,
        "additionalCosts": {"shipping": {"price": 9}},
    } | extra


def customer_session_v2(**extra: Any) -> dict[str, Any]:
    return {
        "id": 6,
        "created": CREATED,
        "integrationId": "S-1",
        "applicationId": 322,
        "profileId": "URNGV8294NV",
        "couponCodes": ["XMAS-20-2021"],
        "referralCode": "NT2K54D9",
        "loyaltyCards": ["loyalty-card-1"],
        "state": "open",
        "cartItems": [cart_item()],
        "additionalCosts": {"shipping": {"price": 9}},
        "identifiers": ["91.11.156.141"],
        "attributes": {"ShippingCity": "Berlin"},
        "firstSession": True,
        "total": 108.99,
        "cartItemTotal": 99.99,
        "additionalCostTotal": 9.0,
        "updated": "2020-02-08T14:15:22Z",
    } | extra


def coupon(value: str = "XMAS-20-2021", **extra: Any) -> dict[str, Any]:
    return {
        "id": 6,
        "created": CREATED,
        "campaignId": 211,
        "value": value,
        "usageLimit": 100,
        "usageCounter": 10,
        "reservation": True,
        "limits": [
            {"period": "yearly", "entities": ["Coupon"], "limit": 1000.0, "action": "createCoupon"}
        ],
    } | extra


def referral(code: str = "27G47Y54VH9L", **extra: Any) -> dict[str, Any]:
    return {
        "id": 6,
        "created": CREATED,
        "campaignId": 78,
        "advocateProfileIntegrationId": "URNGV8294NV",
        "friendProfileIntegrationId": "BZGGC2454PA",
        "code": code,
        "usageLimit": 1,
        "usageCounter": 0,
        "startDate": "2020-11-10T23:00:00Z",
    } | extra


def ledger_info(**extra: Any) -> dict[str, Any]:
    return {
        "currentBalance": 46.0,
        "pendingBalance": 10.0,
        "expiredBalance": 30.0,
        "spentBalance": 84.0,
        "tentativeCurrentBalance": 56.0,
        "currentTier": {"id": 11, "name": "bronze"},
        "pointsToNextTier": 20.0,
    } | extra


def loyalty() -> dict[str, Any]:
    projection = {
        "projections": [
            {
                "date": "2026-11-02T00:00:00Z",
                "expiringPoints": 14.0,
                "activatingPoints": 25.0,
                "projectedBalance": 57.0,
            }
        ],
        "totalExpiringPoints": 14.0,
        "totalActivatingPoints": 25.0,
    }
    return {
        "programs": {
            "5": {
                "id": 5,
                "title": "My loyalty program",
                "name": "program1",
                "ledger": ledger_info(projection=projection),
                "subLedgers": {"shoes": ledger_info(currentBalance=3.0)},
            }
        },
        "cards": [
            {
                "id": 6,
                "created": CREATED,
                "programID": 125,
                "status": "active",
                "identifier": "card-1",
                "usersPerCardLimit": 111,
                "profiles": [{"integrationId": "URNGV8294NV", "timestamp": "2021-09-12T10:12:42Z"}],
                "ledger": ledger_info(),
                "subledgers": {"key": ledger_info()},
            }
        ],
    }


def giveaway(**extra: Any) -> dict[str, Any]:
    return {"id": 6, "created": CREATED, "code": "GIFT-XYZ", "poolId": 4, "used": False} | extra


def campaign(**extra: Any) -> dict[str, Any]:
    return {
        "id": 3,
        "created": "2000-01-23T04:56:07.000+00:00",
        "applicationId": 322,
        "userId": 2,
        "name": "Summer promotions",
        "description": "Campaign for all summer 2021 promotions",
        "state": "enabled",
        "tags": ["summer"],
        "features": ["coupons", "referrals"],
        "limits": [],
        "startTime": "2021-07-20T22:00:00Z",
        "endTime": "2021-09-22T22:00:00Z",
        "couponSettings": {"couponPattern": "SUMMER-####-####", "validCharacters": ["A", "2"]},
        "discountCount": 288.0,
    } | extra


def event(**extra: Any) -> dict[str, Any]:
    return {
        "id": 6,
        "created": CREATED,
        "applicationId": 322,
        "profileId": "URNGV8294NV",
        "type": "talon_session_updated",
        "attributes": {},
        "sessionId": "S-1",
        "effects": [effect("setDiscount")],
        "ledgerEntries": [
            {
                "id": 6,
                "created": CREATED,
                "profileId": "URNGV8294NV",
                "accountId": 0,
                "loyaltyProgramId": 323414846,
                "eventId": 3,
                "amount": 100,
                "reason": "Customer appeasement.",
                "expiryDate": "2022-04-26T11:02:38Z",
            }
        ],
        "meta": {
            "couponRejectionReason": {
                "campaignId": 244,
                "couponId": 4928,
                "reason": "CouponNotFound",
            }
        },
    } | extra


def return_(**extra: Any) -> dict[str, Any]:
    return {
        "id": 6,
        "created": CREATED,
        "applicationId": 322,
        "accountId": 3886,
        "returnedCartItems": [{"position": 0, "quantity": 1}],
        "eventId": 123,
        "sessionId": 123,
        "sessionIntegrationId": "S-1",
        "profileIntegrationId": "URNGV8294NV",
    } | extra


def integration_state_v2(**extra: Any) -> dict[str, Any]:
    return {
        "effects": [effect(t) for t in EFFECT_PROPS_EXAMPLES],
        "createdCoupons": [coupon("NEW-1234")],
        "createdReferrals": [],
        "customerSession": customer_session_v2(),
        "customerProfile": customer_profile(),
        "event": event(),
        "loyalty": loyalty(),
        "referral": referral(referredCustomers=["BZGGC2454PA"]),
        "coupons": [coupon()],
        "triggeredCampaigns": [campaign()],
        "ruleFailureReasons": [
            {
                "campaignID": 7,
                "campaignName": "Summer",
                "rulesetID": 1,
                "ruleIndex": 1,
                "ruleName": "r",
                "couponID": 4928,
                "couponValue": "XMAS-20-2021",
            }
        ],
        "awardedGiveaways": [giveaway()],
        "return": return_(),
        "previousReturns": [return_(id=5)],
    } | extra


def minimal_state_v2() -> dict[str, Any]:
    return {"effects": [], "createdCoupons": [], "createdReferrals": []}


def audience(**extra: Any) -> dict[str, Any]:
    return {
        "accountId": 3886,
        "id": 6,
        "created": CREATED,
        "name": "Travel audience",
        "sandbox": True,
        "integration": "mparticle",
        "integrationId": "382370BKDB946",
        "createdIn3rdParty": False,
    } | extra


def inventory() -> dict[str, Any]:
    return {
        "profile": customer_profile(),
        "loyalty": loyalty(),
        "referrals": [referral(referredCustomers=["BZGGC2454PA"])],
        "coupons": [coupon(profileRedemptionCount=1, state="active")],
        "giveaways": [giveaway()],
    }


VALIDATION_ERROR = {
    "message": "The submitted data was invalid",
    "errors": [
        {
            "title": "enum",
            "details": "state must be one of open, closed, partially_returned, cancelled",
            "source": {"pointer": "/customerSession/state"},
        }
    ],
}

VALIDATION_ERROR_WITH_STATUS = {
    "message": "Invalid query parameter",
    "errors": [{"title": "Invalid type", "source": {"parameter": "silent"}}],
    "StatusCode": 400,
}

UNAUTHORIZED = {"message": "Unauthorized", "StatusCode": 401}
NOT_FOUND = {
    "message": "Not found",
    "errors": [{"title": "NotFound", "source": {"resource": "coupon"}}],
    "StatusCode": 404,
}

"""Campaigns of an Application: what the rule engine evaluates.

A campaign is a list of rules; a rule is a condition (every predicate set must hold) and the
effects it produces. The models are the admin format of ``/_sandbox/talon/campaigns/{appId}``
(readable and replaceable), so tests can configure the engine without code.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Trigger = Literal["session", "session_closed", "event", "profile"]

EffectKind = Literal[
    "setDiscount",
    "setDiscountPerItem",
    "addLoyaltyPoints",
    "redeemLoyaltyPoints",
    "addFreeItem",
    "showNotification",
    "awardGiveaway",
    "createCoupon",
]


class _Config(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Condition(_Config):
    """Every predicate that is set must hold (an empty condition always holds)."""

    trigger: Trigger = Field(
        default="session",
        description="session: any session update; session_closed: only when the session "
        "closes; event: custom events (see eventTypes); profile: profile updates.",
    )
    eventTypes: list[str] = Field(default_factory=list, description="custom event types")
    couponRequired: bool = Field(default=False, description="a valid code of this campaign")
    referralRequired: bool = Field(default=False, description="a valid referral code")
    identified: bool = Field(default=False, description="the session has a profile")
    minCartTotal: float | None = Field(default=None, description="cartItemTotal at least")
    skus: list[str] = Field(default_factory=list, description="cart holds one of these SKUs")
    categories: list[str] = Field(default_factory=list, description="… or of these categories")
    profileAttributes: dict[str, Any] = Field(default_factory=dict, description="equal values")
    audienceIds: list[int] = Field(default_factory=list, description="member of one of them")
    firstSession: bool | None = None


class EffectSpec(_Config):
    """What a rule does. Which fields matter depends on ``type``."""

    type: EffectKind
    name: str = ""
    percent: float | None = Field(default=None, description="discount in % of the base")
    amount: float | None = Field(default=None, description="fixed discount")
    scope: str | None = None
    skus: list[str] = Field(default_factory=list, description="setDiscountPerItem targets")
    categories: list[str] = Field(default_factory=list)
    programId: int | None = None
    subLedgerId: str = ""
    points: float | None = Field(default=None, description="fixed points")
    pointsPerUnit: float | None = Field(default=None, description="points per currency unit")
    pointValue: float = Field(default=1.0, description="redeemLoyaltyPoints: money per point")
    pointsAttribute: str = Field(
        default="PointsToRedeem", description="redeemLoyaltyPoints: session attribute"
    )
    sku: str = ""
    notificationType: str = ""
    title: str = ""
    body: str = ""
    poolId: int | None = None
    couponUsageLimit: int = 1


class Rule(_Config):
    title: str
    condition: Condition = Field(default_factory=Condition)
    effects: list[EffectSpec] = Field(default_factory=list)


class CodeSettings(_Config):
    validCharacters: list[str]
    couponPattern: str = Field(min_length=3, max_length=100)


class LimitSpec(_Config):
    action: str
    limit: float = Field(ge=0)
    period: Literal["daily", "weekly", "monthly", "yearly"] | None = None
    entities: list[Literal["Coupon", "Referral", "Profile", "Identifier"]]


class CampaignSpec(_Config):
    id: int
    name: str = Field(min_length=1)
    description: str = ""
    state: Literal["enabled", "disabled", "archived"] = "enabled"
    features: list[Literal["coupons", "referrals", "loyalty", "giveaways"]] = Field(
        default_factory=list
    )
    rulesetId: int
    tags: list[str] = Field(default_factory=list)
    created: datetime
    startTime: datetime | None = None
    endTime: datetime | None = None
    couponSettings: CodeSettings | None = None
    referralSettings: CodeSettings | None = None
    limits: list[LimitSpec] = Field(default_factory=list)
    attributes: dict[str, Any] = Field(default_factory=dict)
    rules: list[Rule] = Field(default_factory=list)

    def is_running(self, now: datetime) -> bool:
        if self.state != "enabled":
            return False
        if self.startTime is not None and now < self.startTime:
            return False
        return not (self.endTime is not None and now >= self.endTime)


class CampaignIds(_Config):
    """Ids of the default campaigns of one Application (tests and demo data use them)."""

    coupon: int
    sale: int
    loyalty: int
    referral: int
    giveaway: int
    paused: int
    events: int


_ALNUM = [chr(c) for c in range(ord("A"), ord("Z") + 1)] + [str(d) for d in range(10)]


def campaign_ids(application_id: int) -> CampaignIds:
    base = application_id * 100
    return CampaignIds(
        coupon=base + 1,
        sale=base + 2,
        loyalty=base + 3,
        referral=base + 4,
        giveaway=base + 5,
        paused=base + 6,
        events=base + 7,
    )


def default_campaigns(
    application_id: int, program_id: int, pool_id: int, created: datetime, brand: str
) -> list[CampaignSpec]:
    """The seeded campaigns: coupon, sale, loyalty, referral, giveaway, a paused one, events."""
    ids = campaign_ids(application_id)
    start = created - timedelta(days=365 * 3)

    def spec(cid: int, **kw: Any) -> CampaignSpec:
        return CampaignSpec(id=cid, rulesetId=cid * 10 + 1, created=created, startTime=start, **kw)

    return [
        spec(
            ids.coupon,
            name=f"{brand} welcome coupon",
            description="10% off the cart with a welcome coupon",
            features=["coupons"],
            tags=["coupon", "welcome"],
            couponSettings=CodeSettings(validCharacters=_ALNUM, couponPattern="WELCOME-####"),
            limits=[LimitSpec(action="redeemCoupon", limit=1, entities=["Coupon"])],
            rules=[
                Rule(
                    title="Welcome 10%",
                    condition=Condition(couponRequired=True, minCartTotal=10),
                    effects=[EffectSpec(type="setDiscount", name="Welcome 10%", percent=10)],
                )
            ],
        ),
        spec(
            ids.sale,
            name=f"{brand} seasonal sale",
            description="5 off carts from 100; 20% off shoes",
            tags=["sale"],
            rules=[
                Rule(
                    title="5 off from 100",
                    condition=Condition(minCartTotal=100),
                    effects=[
                        EffectSpec(
                            type="setDiscount",
                            name="5 off from 100",
                            amount=5,
                            scope="sessionTotal",
                        )
                    ],
                ),
                Rule(
                    title="20% off shoes",
                    condition=Condition(categories=["shoes"]),
                    effects=[
                        EffectSpec(
                            type="setDiscountPerItem",
                            name="20% off shoes",
                            percent=20,
                            categories=["shoes"],
                        )
                    ],
                ),
            ],
        ),
        spec(
            ids.loyalty,
            name=f"{brand} points",
            description="1 point per currency unit spent; redeem points for money off",
            features=["loyalty"],
            tags=["loyalty"],
            rules=[
                Rule(
                    title="Earn points",
                    condition=Condition(identified=True, minCartTotal=1),
                    effects=[
                        EffectSpec(
                            type="addLoyaltyPoints",
                            name="Points for purchase",
                            programId=program_id,
                            pointsPerUnit=1,
                        )
                    ],
                ),
                Rule(
                    title="Redeem points",
                    condition=Condition(identified=True),
                    effects=[
                        EffectSpec(
                            type="redeemLoyaltyPoints",
                            name="Points redemption",
                            programId=program_id,
                            pointValue=0.1,
                        )
                    ],
                ),
            ],
        ),
        spec(
            ids.referral,
            name=f"{brand} refer a friend",
            description="15 off for a referred friend",
            features=["referrals"],
            tags=["referral"],
            referralSettings=CodeSettings(validCharacters=_ALNUM, couponPattern="REF-####-####"),
            rules=[
                Rule(
                    title="Friend discount",
                    condition=Condition(referralRequired=True),
                    effects=[
                        EffectSpec(
                            type="setDiscount",
                            name="Friend discount",
                            amount=15,
                            scope="sessionTotal",
                        )
                    ],
                )
            ],
        ),
        spec(
            ids.giveaway,
            name=f"{brand} gift card giveaway",
            description="a gift card and a free tote bag for carts from 150",
            features=["giveaways"],
            tags=["giveaway"],
            rules=[
                Rule(
                    title="Gift card from 150",
                    condition=Condition(identified=True, minCartTotal=150),
                    effects=[
                        EffectSpec(type="awardGiveaway", poolId=pool_id),
                        EffectSpec(type="addFreeItem", name="Free tote bag", sku="TOTE-001"),
                        EffectSpec(
                            type="showNotification",
                            notificationType="info",
                            title="Gift card",
                            body="You get a gift card with this order.",
                        ),
                    ],
                )
            ],
        ),
        spec(
            ids.paused,
            name=f"{brand} paused promotion",
            description="a disabled coupon campaign",
            state="disabled",
            features=["coupons"],
            tags=["coupon"],
            couponSettings=CodeSettings(validCharacters=_ALNUM, couponPattern="PAUSED-####"),
            rules=[
                Rule(
                    title="Paused 5 off",
                    condition=Condition(couponRequired=True),
                    effects=[EffectSpec(type="setDiscount", name="Paused 5 off", amount=5)],
                )
            ],
        ),
        spec(
            ids.events,
            name=f"{brand} engagement",
            description="points for a newsletter signup; a thank-you coupon for a review",
            features=["loyalty", "coupons"],
            tags=["engagement"],
            couponSettings=CodeSettings(validCharacters=_ALNUM, couponPattern="THANKS-######"),
            rules=[
                Rule(
                    title="Newsletter points",
                    condition=Condition(trigger="event", eventTypes=["newsletter_signup"]),
                    effects=[
                        EffectSpec(
                            type="addLoyaltyPoints",
                            name="Newsletter bonus",
                            programId=program_id,
                            points=50,
                        ),
                        EffectSpec(
                            type="showNotification",
                            notificationType="info",
                            title="Thanks",
                            body="50 bonus points for subscribing.",
                        ),
                    ],
                ),
                Rule(
                    title="Review coupon",
                    condition=Condition(trigger="event", eventTypes=["review_written"]),
                    effects=[EffectSpec(type="createCoupon", name="Review thank-you")],
                ),
            ],
        ),
    ]

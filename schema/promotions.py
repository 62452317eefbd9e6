"""Promotion types (Talon.One): the promotion profile, audiences, referrals, the promotion
engine's loyalty ledgers and giveaways. Coupons are in :mod:`schema.coupon`."""

from __future__ import annotations

from datetime import datetime

import strawberry
from strawberry.scalars import JSON

from schema.code_validity import CodeValidity
from schema.customer_ref import CustomerRef, customer_from_id
from schema.segment import Segment, SegmentSource
from schema.vendor_data import TolerantFields
from vendors.talon.models import (
    AudienceMembership,
    CustomerProfile,
    InventoryReferral,
    Loyalty,
    LoyaltyProgramLedgers,
)
from vendors.talon.models import Giveaway as TalonGiveaway

__all__ = [
    "Audience",
    "Giveaway",
    "PromotionAttribute",
    "PromotionLoyalty",
    "PromotionLoyaltyProgram",
    "PromotionLoyaltyTier",
    "PromotionProfile",
    "Referral",
]

VENDOR = "talon"
_tolerant: TolerantFields[CustomerProfile] = TolerantFields(VENDOR)


@strawberry.type(description="A custom attribute of the promotion profile.")
class PromotionAttribute:
    name: str = strawberry.field(description="The attribute's name, e.g. `City`.")
    value: JSON | None = strawberry.field(
        description=(
            "The attribute's value with its JSON type kept: a string, number, boolean, "
            "list or object (dates are RFC 3339 strings)."
        )
    )


@strawberry.type(description="The customer as the promotion engine (Talon.One) knows them.")
class PromotionProfile:
    attributes: list[PromotionAttribute] = strawberry.field(
        description="Custom attributes, sorted by name."
    )
    #: the profile as read (its figures are read tolerantly)
    source: strawberry.Private[CustomerProfile]

    closed_sessions: int | None = _tolerant(
        lambda p: p.closed_sessions, "How many purchases (closed sessions) the customer made."
    )
    total_sales: float | None = _tolerant(
        lambda p: p.total_sales,
        "The sum of the customer's purchases, in the application's currency.",
    )
    last_activity: datetime | None = _tolerant(
        lambda p: p.last_activity, "The customer's last activity the promotion rules saw."
    )
    created_at: datetime | None = _tolerant(
        lambda p: p.created, "When the promotion engine first saw the customer."
    )

    @classmethod
    def from_talon(cls, p: CustomerProfile) -> PromotionProfile:
        return cls(
            attributes=[
                PromotionAttribute(name=name, value=JSON(value))
                for name, value in sorted(p.attributes.items())
            ],
            source=p,
        )


@strawberry.type(
    description="An audience of the promotion engine (Talon.One) the customer belongs to."
)
class Audience(Segment):
    name: str = strawberry.field(description="The audience's name.")
    source: SegmentSource = strawberry.field(
        default=SegmentSource.PROMOTIONS, description="Always PROMOTIONS."
    )
    audience_id: int = strawberry.field(
        description="The audience's numeric id (the one audience mutations take)."
    )

    @classmethod
    def from_talon(cls, m: AudienceMembership) -> Audience:
        return cls(id=strawberry.ID(str(m.id)), name=m.name, audience_id=m.id)


@strawberry.type(description="A referral code the customer hands out to friends.")
class Referral(CodeValidity):
    code: str = strawberry.field(description="The code a friend enters.")
    campaign_id: int = strawberry.field(description="The referral campaign.")
    created_at: datetime = strawberry.field(description="When the code was made.")
    usage_limit: int = strawberry.field(
        description="How many times it may be redeemed; 0 means no limit."
    )
    usage_counter: int = strawberry.field(description="How many times it has been redeemed.")
    referred_ids: strawberry.Private[list[str]]

    @classmethod
    def from_talon(cls, r: InventoryReferral) -> Referral:
        return cls(
            code=r.code,
            campaign_id=r.campaign_id,
            created_at=r.created,
            starts_at=r.start_date,
            expires_at=r.expiry_date,
            usage_limit=r.usage_limit,
            usage_counter=r.usage_counter,
            referred_ids=list(r.referred_customers),
        )

    @strawberry.field(description="The friends who used the code.")
    def referred_customers(self) -> list[CustomerRef]:
        return [customer_from_id(i) for i in self.referred_ids]


@strawberry.type(description="A tier of a promotion loyalty program.")
class PromotionLoyaltyTier:
    id: int = strawberry.field(description="The tier's id.")
    name: str = strawberry.field(description="The tier's name, e.g. `Gold`.")


@strawberry.type(
    description="The customer's points in one loyalty program of the promotion engine."
)
class PromotionLoyaltyProgram:
    id: int = strawberry.field(description="The program's id.")
    name: str = strawberry.field(description="The program's internal name.")
    title: str = strawberry.field(description="The program's name to show.")
    current_balance: float = strawberry.field(description="Points available now.")
    pending_balance: float = strawberry.field(description="Points not yet active.")
    expired_balance: float = strawberry.field(description="Points that expired.")
    spent_balance: float = strawberry.field(description="Points spent.")
    tentative_current_balance: float = strawberry.field(
        description="Points available now, counting those of open carts."
    )
    tier: PromotionLoyaltyTier | None = strawberry.field(
        description="The customer's tier; null when the program has no tiers."
    )
    points_to_next_tier: float | None = strawberry.field(
        description="Points still needed for the next tier; null at the top or without tiers."
    )

    @classmethod
    def from_talon(cls, p: LoyaltyProgramLedgers) -> PromotionLoyaltyProgram:
        ledger, tier = p.ledger, p.ledger.current_tier
        return cls(
            id=p.id,
            name=p.name,
            title=p.title,
            current_balance=ledger.current_balance,
            pending_balance=ledger.pending_balance,
            expired_balance=ledger.expired_balance,
            spent_balance=ledger.spent_balance,
            tentative_current_balance=ledger.tentative_current_balance,
            tier=PromotionLoyaltyTier(id=tier.id, name=tier.name) if tier else None,
            points_to_next_tier=ledger.points_to_next_tier,
        )


@strawberry.type(
    description=(
        "The customer's loyalty ledgers in the promotion engine (Talon.One), apart from the "
        "loyalty system's (Tallymarks) points balance."
    )
)
class PromotionLoyalty:
    programs: list[PromotionLoyaltyProgram] = strawberry.field(
        description="One entry per program the customer has points in, by program id."
    )

    @classmethod
    def from_talon(cls, loyalty: Loyalty) -> PromotionLoyalty:
        programs = sorted(loyalty.programs.values(), key=lambda p: p.id)
        return cls(programs=[PromotionLoyaltyProgram.from_talon(p) for p in programs])


@strawberry.type(description="A giveaway code (e.g. a gift card) awarded to the customer.")
class Giveaway:
    id: int = strawberry.field(description="The giveaway's id.")
    code: str = strawberry.field(description="The code to hand to the customer.")
    pool_id: int = strawberry.field(description="The giveaway pool it came from.")
    created_at: datetime = strawberry.field(description="When it was created.")
    starts_at: datetime | None = strawberry.field(
        description="From when it is valid; null when from its creation."
    )
    ends_at: datetime | None = strawberry.field(
        description="Until when it is valid; null when it does not end."
    )
    used: bool | None = strawberry.field(description="Whether it has been used, when known.")

    @classmethod
    def from_talon(cls, g: TalonGiveaway) -> Giveaway:
        return cls(
            id=g.id,
            code=g.code,
            pool_id=g.pool_id,
            created_at=g.created,
            starts_at=g.start_date,
            ends_at=g.end_date,
            used=g.used,
        )

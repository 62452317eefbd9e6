"""Promotion events (Talon.One) as a GraphQL type.

Talon.One's Integration API has no way to list a customer's events (``trackEvent`` only
writes them), so these events are derived from the customer inventory: see
:mod:`resolvers.activity_items`.
"""

from __future__ import annotations

from enum import Enum

import strawberry

from resolvers.activity_items import ActivityItem, PromotionActivity, PromotionKind
from schema.event import Event, EventSource
from vendors.talon.models import Giveaway, InventoryCoupon, InventoryReferral

__all__ = ["PromotionEvent", "PromotionEventType"]


@strawberry.enum(description="What a promotion event records.")
class PromotionEventType(Enum):
    COUPON_RESERVED = strawberry.enum_value(
        PromotionKind.COUPON_RESERVED.value,
        description=(
            "A coupon came to the customer: reserved for them, or redeemed by them. Placed at "
            "the coupon's creation (Talon.One reports no reservation or redemption time; see "
            "`redeemed`)."
        ),
    )
    REFERRAL_CREATED = strawberry.enum_value(
        PromotionKind.REFERRAL_CREATED.value,
        description="A referral code was created with the customer as its advocate.",
    )
    GIVEAWAY_AWARDED = strawberry.enum_value(
        PromotionKind.GIVEAWAY_AWARDED.value,
        description="A giveaway code was awarded to the customer (placed at the code's creation).",
    )


def _details(record: InventoryCoupon | InventoryReferral | Giveaway) -> tuple[int | None, bool]:
    """The campaign and whether the code was used, per kind of record."""
    if isinstance(record, InventoryCoupon):
        return record.campaign_id, record.profile_redemption_count > 0
    if isinstance(record, InventoryReferral):
        return record.campaign_id, record.usage_counter > 0
    return None, bool(record.used)


_SUMMARIES = {
    PromotionKind.COUPON_RESERVED: "Coupon {code}",
    PromotionKind.REFERRAL_CREATED: "Referral code {code} created",
    PromotionKind.GIVEAWAY_AWARDED: "Giveaway {code} awarded",
}


@strawberry.type(
    description=(
        "Something the promotion engine (Talon.One) holds for the customer, as an event: a "
        "coupon reserved for (or redeemed by) them, a referral code they advocate, a giveaway "
        "they won. Talon.One cannot list a customer's events, so these come from the "
        "customer's inventory and are placed at the time each code was created."
    )
)
class PromotionEvent(Event):
    promotion_event_type: PromotionEventType = strawberry.field(
        description="What the event records (`kind` as an enum)."
    )
    code: str = strawberry.field(description="The coupon, referral or giveaway code.")
    campaign_id: int | None = strawberry.field(
        description="The Talon.One campaign of the coupon or referral; null for giveaways."
    )
    redeemed: bool = strawberry.field(
        description=(
            "Whether the code was used: a coupon redeemed by this customer, a referral code "
            "used by a friend, a giveaway code marked used."
        )
    )

    @classmethod
    def from_item(cls, item: ActivityItem) -> PromotionEvent:
        """From a feed item holding a promotion record (see :mod:`resolvers.activity_items`)."""
        activity = item.record
        if not isinstance(activity, PromotionActivity):
            raise TypeError(f"not a promotion item: {item.id}")
        record = activity.record
        code = record.value if isinstance(record, InventoryCoupon) else record.code
        campaign_id, redeemed = _details(record)
        summary = _SUMMARIES[activity.kind].format(code=code)
        if activity.kind is PromotionKind.COUPON_RESERVED:
            summary += " redeemed" if redeemed else " reserved"
        return cls(
            id=strawberry.ID(item.id),
            occurred_at=item.occurred_at,
            source=EventSource.PROMOTIONS,
            kind=activity.kind.value,
            summary=summary,
            promotion_event_type=PromotionEventType(activity.kind.value),
            code=code,
            campaign_id=campaign_id,
            redeemed=redeemed,
        )

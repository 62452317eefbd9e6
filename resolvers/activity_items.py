"""The items of a customer's activity feed, as the resolvers see them: a vendor record with
the three things the merge orders by (when, which source, which id).

Talon.One's Integration API cannot list a customer's events (``trackEvent`` only writes), so
the promotion items are derived from the customer inventory: each coupon the customer holds
(reserved for them, or redeemed by them), each referral code they advocate and each giveaway
they were awarded becomes one item, placed at the record's ``created`` time, the only time
Talon.One reports for it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum

from vendors.omnidesk.models import TimelineEntry
from vendors.tallymarks.models import CustomerEvent
from vendors.talon.models import (
    CustomerInventory,
    Giveaway,
    InventoryCoupon,
    InventoryReferral,
)

__all__ = [
    "ActivityItem",
    "PromotionActivity",
    "PromotionKind",
    "Source",
    "loyalty_event_id",
    "loyalty_item",
    "promotion_items",
    "support_item",
]


class Source(Enum):
    """Where an item comes from; the declaration order is the tie-break between sources."""

    LOYALTY = "loyalty"
    SUPPORT = "support"
    PROMOTIONS = "promotions"

    @property
    def rank(self) -> int:
        return list(Source).index(self)


class PromotionKind(Enum):
    COUPON_RESERVED = "coupon_reserved"
    REFERRAL_CREATED = "referral_created"
    GIVEAWAY_AWARDED = "giveaway_awarded"


PromotionRecord = InventoryCoupon | InventoryReferral | Giveaway


@dataclass(frozen=True, slots=True)
class PromotionActivity:
    """One inventory record seen as something that happened to the customer."""

    kind: PromotionKind
    record: PromotionRecord


ActivityRecord = CustomerEvent | TimelineEntry | PromotionActivity


@dataclass(frozen=True, slots=True)
class ActivityItem:
    """``id`` is the item's public event id (unique across sources)."""

    source: Source
    id: str
    occurred_at: datetime
    record: ActivityRecord

    @property
    def sort_key(self) -> tuple[datetime, str]:
        """Within one source, items run from the largest key to the smallest."""
        return (self.occurred_at, self.id)


def loyalty_event_id(event: CustomerEvent) -> str:
    """A loyalty event's public event id."""
    return f"loyalty:{event.event_id}"


def loyalty_item(event: CustomerEvent) -> ActivityItem:
    return ActivityItem(Source.LOYALTY, loyalty_event_id(event), event.created_at, event)


def support_item(entry: TimelineEntry) -> ActivityItem:
    # the id the support domain gives its timeline entries (schema.support.TimelineEntry)
    return ActivityItem(Source.SUPPORT, f"support:{entry.type}:{entry.id}", entry.created, entry)


def promotion_items(inventory: CustomerInventory | None) -> list[ActivityItem]:
    """The feed items an inventory holds (none when Talon.One has no profile)."""
    if inventory is None:
        return []
    found: list[tuple[str, PromotionActivity]] = []
    for coupon in inventory.coupons or ():
        found.append(
            (f"coupon:{coupon.id}", PromotionActivity(PromotionKind.COUPON_RESERVED, coupon))
        )
    for referral in inventory.referrals or ():
        activity = PromotionActivity(PromotionKind.REFERRAL_CREATED, referral)
        found.append((f"referral:{referral.id}", activity))
    for giveaway in inventory.giveaways or ():
        activity = PromotionActivity(PromotionKind.GIVEAWAY_AWARDED, giveaway)
        found.append((f"giveaway:{giveaway.id}", activity))
    return [
        ActivityItem(Source.PROMOTIONS, f"promotions:{suffix}", a.record.created, a)
        for suffix, a in found
    ]

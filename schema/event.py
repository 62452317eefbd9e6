"""The Event interface: something that happened to a customer, whichever system saw it.

Tallymarks events (``LoyaltyEvent``), Omnidesk timeline entries (the support domain's
timeline type) and Talon.One promotion events (``PromotionEvent``) implement it, so the
activity feed can list them together; ``source`` (or the concrete type) tells them apart.

An implementation passes the five interface fields when it is built (``from_<vendor>``).
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum

import strawberry

__all__ = ["Event", "EventSource"]


@strawberry.enum(description="The system an event comes from.")
class EventSource(Enum):
    LOYALTY = strawberry.enum_value(
        "loyalty", description="The loyalty system (Tallymarks): actions, orders, points …"
    )
    SUPPORT = strawberry.enum_value(
        "support",
        description="The customer-service timeline (Omnidesk): orders, mailings, tickets.",
    )
    PROMOTIONS = strawberry.enum_value(
        "promotions",
        description=(
            "The promotion engine (Talon.One): coupons, referrals and giveaways the customer "
            "holds, placed at the moment each was created."
        ),
    )


@strawberry.interface(
    description=(
        "Something that happened to a customer, in the loyalty system, the customer-service "
        "timeline or the promotion engine. Use `source` or the concrete type for the details."
    )
)
class Event:
    id: strawberry.ID = strawberry.field(
        description="The event's id, unique among a customer's events of every source."
    )
    occurred_at: datetime = strawberry.field(description="When it happened (UTC).")
    source: EventSource = strawberry.field(description="The system the event comes from.")
    kind: str = strawberry.field(
        description=(
            "What happened, as a short lower-case word of its system "
            "(e.g. `order`, `points`, `external_event`, `ticket`, `coupon_reserved`)."
        )
    )
    summary: str = strawberry.field(description="One line to show the customer's history with.")

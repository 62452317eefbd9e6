"""Loyalty events (Tallymarks) as GraphQL types: the event, its filter and its connection."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry
from strawberry import relay

from resolvers.activity_items import loyalty_event_id
from resolvers.offset_cursor import OffsetPage
from schema.event import Event, EventSource
from schema.loyalty import LoyaltyEventType, LoyaltyFilterParts
from schema.offset_paging import edges_of, page_info_of
from vendors.tallymarks.models import CustomerEvent

__all__ = ["EventFilterArg", "LoyaltyEvent", "LoyaltyEventConnection", "LoyaltyEventFilter"]


def _event_type(value: str) -> LoyaltyEventType | None:
    try:
        return LoyaltyEventType(value.lower())
    except ValueError:
        return None


@strawberry.type(
    description=(
        "An event in the loyalty system (Tallymarks): something the merchant's systems "
        "reported (an order, a payment, an action) or the platform generated (an "
        "anniversary, points expiry, a failed fulfilment). Its rules turn events into points "
        "transactions and segment changes."
    )
)
class LoyaltyEvent(Event):
    event_id: strawberry.ID = strawberry.field(
        description="The loyalty system's own id of the event (a GUID chosen by its sender)."
    )
    event_type: LoyaltyEventType | None = strawberry.field(
        description=(
            "The kind of event; null for a kind this API does not know yet (see `kind` for "
            "the loyalty system's own word)."
        )
    )
    name_space: str | None = strawberry.field(
        description="What the event is about, e.g. `Order.Completed` or `Customer.Registration`."
    )
    reference: str | None = strawberry.field(
        description="The sender's reference, e.g. an order number or a point-of-sale receipt."
    )

    @classmethod
    def from_tallymarks(cls, e: CustomerEvent) -> LoyaltyEvent:
        headline = e.name_space or e.event_type
        return cls(
            id=strawberry.ID(loyalty_event_id(e)),
            occurred_at=e.created_at,
            source=EventSource.LOYALTY,
            kind=e.event_type.lower(),
            summary=f"{headline} ({e.reference})" if e.reference else headline,
            event_id=strawberry.ID(e.event_id),
            event_type=_event_type(e.event_type),
            name_space=e.name_space,
            reference=e.reference,
        )


@strawberry.input(description="Narrows a customer's loyalty events; every part optional.")
class LoyaltyEventFilter(LoyaltyFilterParts):
    event_type: LoyaltyEventType | None = strawberry.field(
        default=None, description="Only events of this kind."
    )
    keyword: str | None = strawberry.field(
        default=None,
        description="Only events whose namespace or reference contains this text.",
    )
    from_: datetime | None = strawberry.field(
        name="from",
        default=None,
        description="Only events at or after this time (no zone: UTC).",
    )
    to: datetime | None = strawberry.field(
        default=None, description="Only events at or before this time (no zone: UTC)."
    )


@strawberry.type(description="A page of a customer's loyalty events, newest first.")
class LoyaltyEventConnection(relay.Connection[LoyaltyEvent]):  # type: ignore[type-var]  # not Nodes
    @classmethod
    def from_page(cls, page: OffsetPage[CustomerEvent]) -> LoyaltyEventConnection:
        return cls(page_info=page_info_of(page), edges=edges_of(page, LoyaltyEvent.from_tallymarks))


#: the ``filter`` argument of ``Customer.events``
EventFilterArg = Annotated[
    LoyaltyEventFilter | None,
    strawberry.argument(description="Narrow the list by event kind, text and time."),
]

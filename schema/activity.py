"""The activity feed as GraphQL types: a Relay connection of :class:`Event` items merged from
the three sources, with how each source fared for the page."""

from __future__ import annotations

from collections.abc import Sequence

import strawberry
from strawberry import relay

from resolvers.activity import ActivityPage
from resolvers.activity_items import ActivityItem, Source
from schema.event import Event, EventSource
from schema.loyalty_event import LoyaltyEvent
from schema.promotion_event import PromotionEvent
from schema.support import TimelineEntry
from vendors.errors import VendorError
from vendors.omnidesk.models import TimelineEntry as OmnideskTimelineEntry
from vendors.tallymarks.models import CustomerEvent

__all__ = ["ActivityConnection", "ActivitySourceStatus", "event_of", "sources_of"]


def event_of(item: ActivityItem) -> Event:
    """The GraphQL event for one feed item, by the vendor record it holds."""
    record = item.record
    if isinstance(record, CustomerEvent):
        return LoyaltyEvent.from_tallymarks(record)
    if isinstance(record, OmnideskTimelineEntry):
        return TimelineEntry.from_omnidesk(record)
    return PromotionEvent.from_item(item)


def sources_of(sources: Sequence[EventSource] | None) -> list[Source] | None:
    return None if sources is None else [Source(s.value) for s in sources]


@strawberry.type(description="How one source of the activity feed fared for this page.")
class ActivitySourceStatus:
    source: EventSource = strawberry.field(description="The source.")
    failure: strawberry.Private[VendorError | None]

    @strawberry.field(
        description=(
            "False when the source's system failed for this page (the response's errors then "
            "name the vendor at the `activity` path): its events are missing from this page, "
            "and the cursors keep its place, so they come on the next page (or ask this page "
            "again to get them in order)."
        )
    )
    def complete(self) -> bool:
        return self.failure is None


@strawberry.type(
    description=(
        "A page of the customer's activity feed, newest first. `pageInfo.hasNextPage` stays "
        "true while a failed source may still hold events."
    )
)
class ActivityConnection(relay.Connection[Event]):  # type: ignore[type-var]  # not Nodes
    sources: list[ActivitySourceStatus] = strawberry.field(
        description=(
            "One entry per source asked for, in feed order: select it to learn whether a "
            "source's system failed for this page (its `complete` is then false)."
        )
    )

    @classmethod
    def from_page(cls, page: ActivityPage) -> ActivityConnection:
        return cls(
            page_info=relay.PageInfo(
                has_next_page=page.has_next_page,
                has_previous_page=page.has_previous_page,
                start_cursor=page.start_cursor,
                end_cursor=page.end_cursor,
            ),
            edges=[
                relay.Edge(cursor=cursor, node=event_of(item))  # type: ignore[type-var]  # not Nodes
                for cursor, item in page.edges
            ],
            sources=[
                ActivitySourceStatus(source=EventSource(s.value), failure=page.failures.get(s))
                for s in page.sources
            ],
        )

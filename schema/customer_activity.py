"""The Customer fields about activity: loyalty events, promotion events and the merged
activity feed (three vendors).

A mixin of :class:`schema.customer.Customer`: fields resolve through loaders from
``self.key`` (the canonical customer id).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from resolvers import activity
from schema.activity import ActivityConnection, sources_of
from schema.event import EventSource
from schema.info import Info
from schema.loyalty_event import EventFilterArg, LoyaltyEventConnection
from schema.promotion_event import PromotionEvent

AfterArg = Annotated[
    str | None,
    strawberry.argument(description="Start after this cursor (an `endCursor` of this list)."),
]
FirstEventsArg = Annotated[int, strawberry.argument(description="How many events (1 to 100).")]


@strawberry.type
class ActivityFields:
    if TYPE_CHECKING:
        key: str

    @strawberry.field(
        description=(
            "The customer's loyalty events (Tallymarks), newest first. Pass "
            "`pageInfo.endCursor` as `after` (with the same filter) for the next page."
        )
    )
    async def events(
        self,
        info: Info,
        first: FirstEventsArg = 20,
        after: AfterArg = None,
        filter: EventFilterArg = None,
    ) -> LoyaltyEventConnection | None:
        where = filter.values() if filter else activity.EventFilterValues()
        page = await activity.loyalty_events_page(
            info.context, self.key, first=first, after=after, where=where
        )
        return LoyaltyEventConnection.from_page(page)

    @strawberry.field(
        description=(
            "What the promotion engine (Talon.One) holds for the customer, as events, newest "
            "first: coupons, referral codes, giveaways. Null when Talon.One has no profile "
            "for the customer."
        )
    )
    async def promotion_events(self, info: Info) -> list[PromotionEvent] | None:
        found = await activity.promotion_events(info.context, self.key)
        return None if found is None else [PromotionEvent.from_item(i) for i in found]

    @strawberry.field(
        description=(
            "Everything that happened to the customer, newest first, in one list: loyalty "
            "events, the support timeline (what other systems recorded there; tickets are "
            "in `timeline(includeTickets: true)`) and promotion events. Ties are ordered by source "
            "(loyalty, support, promotions), then by the source's own order. Page with "
            "`first`/`after`: one cursor pages all sources together, without gaps or "
            "repeats. When a source's system fails, the page still holds the other "
            "sources' events (see `sources`)."
        )
    )
    async def activity(
        self,
        info: Info,
        first: FirstEventsArg = 20,
        after: AfterArg = None,
        sources: Annotated[
            list[EventSource] | None,
            strawberry.argument(
                description="Only events of these sources (all when left out); keep the same "
                "sources when passing `after`."
            ),
        ] = None,
    ) -> ActivityConnection:
        page = await activity.activity_page(
            info.context, self.key, first=first, after=after, sources=sources_of(sources)
        )
        for failure in page.failures.values():
            info.context.report_partial(failure, info.path.as_list())
        return ActivityConnection.from_page(page)

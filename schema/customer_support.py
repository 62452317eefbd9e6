"""The Customer fields about customer service (Omnidesk):
support profile, channels, custom fields, timeline.

A mixin of :class:`schema.customer.Customer`: fields resolve through loaders from
``self.key`` (the canonical customer id).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from resolvers.support import support_customer, support_timeline
from schema.info import Info
from schema.support import SupportProfile, TimelineEntry, newest_first


@strawberry.type
class SupportFields:
    if TYPE_CHECKING:
        key: str

    @strawberry.field(
        description=(
            "The customer as the support desk knows them: brand, channels, custom fields. "
            "Null when the support desk has no customer linked to this one."
        )
    )
    async def support_profile(self, info: Info) -> SupportProfile | None:
        found = await support_customer(info.context, self.key)
        return SupportProfile.from_omnidesk(found) if found else None

    @strawberry.field(
        description=(
            "The customer's support timeline, newest first: events other systems recorded "
            "(orders, mails) and, when asked, their tickets. Null when the support desk has "
            "no customer linked to this one."
        )
    )
    async def timeline(
        self,
        info: Info,
        include_tickets: Annotated[
            bool,
            strawberry.argument(description="Also list the customer's support tickets."),
        ] = False,
    ) -> list[TimelineEntry] | None:
        found = await support_timeline(info.context, self.key, include_tickets=include_tickets)
        return newest_first(found) if found is not None else None

"""The Customer fields about loyalty (Tallymarks): points balance, segments, transactions.

A mixin of :class:`schema.customer.Customer`: fields resolve through loaders from
``self.key`` (the canonical customer id).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from resolvers import loyalty
from schema.info import Info
from schema.loyalty import (
    LoyaltySegment,
    PointsBalance,
    TransactionConnection,
    TransactionFilterArg,
)
from schema.offset_paging import AfterArg


@strawberry.type
class LoyaltyFields:
    if TYPE_CHECKING:
        key: str

    @strawberry.field(description="The customer's points balance (loyalty).")
    async def points_balance(self, info: Info) -> PointsBalance | None:
        found = await loyalty.points_balance(info.context, self.key)
        return PointsBalance.from_tallymarks(found) if found else None

    @strawberry.field(
        description="The loyalty segments the customer belongs to now (all of them; expired "
        "memberships are left out)."
    )
    async def loyalty_segments(self, info: Info) -> list[LoyaltySegment] | None:
        found = await loyalty.loyalty_segments(info.context, self.key)
        return [LoyaltySegment.from_tallymarks(m) for m in found]

    @strawberry.field(
        description="The customer's points transactions, newest first, with the balance they "
        "sum to. Pass `pageInfo.endCursor` as `after` (with the same filter) for the next page."
    )
    async def transactions(
        self,
        info: Info,
        first: Annotated[
            int, strawberry.argument(description="How many transactions (1 to 100).")
        ] = 20,
        after: AfterArg = None,
        filter: TransactionFilterArg = None,
    ) -> TransactionConnection | None:
        where = filter.values() if filter else loyalty.TransactionFilterValues()
        page = await loyalty.transactions_page(
            info.context, self.key, first=first, after=after, where=where
        )
        return TransactionConnection.from_page(page, self.key)

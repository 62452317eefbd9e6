"""Loyalty types (Tallymarks): points balance, segment memberships, points transactions."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import relay

from resolvers.loyalty import TransactionFilterValues, points_balance
from resolvers.offset_cursor import OffsetPage
from schema.info import Info
from schema.offset_paging import edges_of, page_info_of
from schema.segment import Segment, SegmentSource
from vendors.tallymarks.models import Balance, CustomerTransaction, SegmentMembership

__all__ = [
    "LoyaltyEventType",
    "LoyaltyFilterParts",
    "LoyaltySegment",
    "PointsBalance",
    "Transaction",
    "TransactionConnection",
    "TransactionFilter",
]


@strawberry.type(description="A customer's points: what they can spend in the loyalty programme.")
class PointsBalance:
    points: int = strawberry.field(
        description="Points available now: the sum of all the customer's points transactions."
    )
    points_segment: str | None = strawberry.field(
        description="The points bucket the balance is kept in (currently always `base`)."
    )
    changed_at: datetime | None = strawberry.field(
        description="When the balance last changed (the latest transaction; else when the "
        "customer joined)."
    )

    @classmethod
    def from_tallymarks(cls, balance: Balance) -> PointsBalance:
        return cls(
            points=balance.amount,
            points_segment=balance.points_segment,
            changed_at=balance.changed_at,
        )


@strawberry.type(
    description=(
        "The customer's membership of a loyalty segment (Tallymarks): a group defined in the "
        "loyalty console, joined by a rule or by hand, possibly until a date."
    )
)
class LoyaltySegment(Segment):
    display_name: str | None = strawberry.field(description="The segment's name for customers.")
    description: str | None = strawberry.field(description="What the segment is for.")
    member_since: datetime | None = strawberry.field(
        description="When the customer was added to the segment."
    )
    expires_at: datetime | None = strawberry.field(
        description="When the membership ends; null when it never expires."
    )
    source_event_id: strawberry.ID | None = strawberry.field(
        description="The loyalty event whose rule added the customer; null for manual adds."
    )

    @classmethod
    def from_tallymarks(cls, m: SegmentMembership) -> LoyaltySegment:
        return cls(
            id=strawberry.ID(m.segment_id),
            name=m.name,
            source=SegmentSource.LOYALTY,
            display_name=m.display_name,
            description=m.description,
            member_since=m.created_at,
            expires_at=m.expiry_date_time,
            source_event_id=strawberry.ID(m.source_event_id) if m.source_event_id else None,
        )


@strawberry.enum(description="The kind of loyalty event (Tallymarks) behind a transaction.")
class LoyaltyEventType(Enum):
    ACTION = strawberry.enum_value(
        "action", description="Something the customer did (sign-up, review, login …)."
    )
    ORDER = strawberry.enum_value("order", description="A completed order.")
    TRANSACTION = strawberry.enum_value(
        "transaction", description="A payment or transfer of funds."
    )
    REDEMPTION = strawberry.enum_value("redemption", description="Points spent by the customer.")
    POINTS = strawberry.enum_value(
        "points", description="Points granted or deducted directly (also expiry)."
    )
    ERROR = strawberry.enum_value(
        "error", description="A fulfilment that failed while processing another event."
    )
    ANNIVERSARY = strawberry.enum_value(
        "anniversary", description="The yearly anniversary of the customer joining."
    )


class LoyaltyFilterParts:
    """The parts both loyalty filters have (transactions, by their event; events), each
    worded for its list: one conversion to the values the resolvers narrow by."""

    if TYPE_CHECKING:
        event_type: LoyaltyEventType | None
        keyword: str | None
        from_: datetime | None
        to: datetime | None

    def values(self) -> TransactionFilterValues:
        return TransactionFilterValues(
            # the member's runtime value is the vendor's word (mypy sees enum_value's type)
            event_type=str(self.event_type.value) if self.event_type else None,
            keyword=self.keyword,
            from_at=self.from_,
            to_at=self.to,
        )


@strawberry.input(description="Narrows a customer's points transactions; every part optional.")
class TransactionFilter(LoyaltyFilterParts):
    event_type: LoyaltyEventType | None = strawberry.field(
        default=None, description="Only transactions caused by events of this kind."
    )
    keyword: str | None = strawberry.field(
        default=None,
        description="Only transactions whose namespace, description or external reference "
        "contains this text (case-insensitive).",
    )
    from_: datetime | None = strawberry.field(
        name="from", default=None, description="Only transactions at or after this time."
    )
    to: datetime | None = strawberry.field(
        default=None, description="Only transactions at or before this time."
    )


@strawberry.type(description="Points earned (positive) or spent/expired (negative) at once.")
class Transaction:
    transaction_id: strawberry.ID = strawberry.field(description="The transaction's id.")
    event_id: strawberry.ID | None = strawberry.field(
        description="The loyalty event that caused it."
    )
    amount: int = strawberry.field(description="Points: positive when earned, negative when spent.")
    description: str | None = strawberry.field(description="What the points were for.")
    name_space: str | None = strawberry.field(
        description="The event's namespace, e.g. `Order.Completed`."
    )
    created_at: datetime = strawberry.field(description="When the points were booked.")
    external_reference: str | None = strawberry.field(
        description="The merchant's reference (e.g. an order number)."
    )
    assessment_rule_id: strawberry.ID | None = strawberry.field(
        description="The loyalty rule that awarded the points; null for direct grants."
    )

    @classmethod
    def from_tallymarks(cls, t: CustomerTransaction) -> Transaction:
        return cls(
            transaction_id=strawberry.ID(t.transaction_id),
            event_id=strawberry.ID(t.event_id) if t.event_id else None,
            amount=t.amount,
            description=t.description,
            name_space=t.name_space,
            created_at=t.created_at,
            external_reference=t.external_reference,
            assessment_rule_id=(
                strawberry.ID(t.assessment_rule_id) if t.assessment_rule_id else None
            ),
        )


@strawberry.type(
    description="A page of a customer's points transactions, newest first, and their balance."
)
class TransactionConnection(relay.Connection[Transaction]):  # type: ignore[type-var]  # see edges_of
    customer_id: strawberry.Private[str]

    @strawberry.field(
        description="The customer's points balance now: the sum of all their transactions "
        "(not only this page's or the filter's)."
    )
    async def balance(self, info: Info) -> PointsBalance | None:
        found = await points_balance(info.context, self.customer_id)
        return PointsBalance.from_tallymarks(found) if found else None

    @classmethod
    def from_page(
        cls, page: OffsetPage[CustomerTransaction], customer_id: str
    ) -> TransactionConnection:
        return cls(
            page_info=page_info_of(page),
            edges=edges_of(page, Transaction.from_tallymarks),
            customer_id=customer_id,
        )


#: the ``filter`` argument of ``Customer.transactions``
TransactionFilterArg = Annotated[
    TransactionFilter | None,
    strawberry.argument(description="Narrow the list by event kind, text and time."),
]

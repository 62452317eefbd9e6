"""Loyalty segment membership (Tallymarks)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.writes.segments import add_to_segment, remove_from_segment
from schema.customer import Customer
from schema.info import Info
from schema.loyalty import LoyaltySegment
from schema.mutations.arguments import CustomerIdArg
from schema.mutations.declare import mutation, payload
from schema.permissions import CanWriteCustomers

__all__ = [
    "AddCustomerToSegmentPayload",
    "RemoveCustomerFromSegmentPayload",
    "SegmentMutation",
]

SegmentIdArg = Annotated[
    strawberry.ID, strawberry.argument(description="The loyalty segment's id.")
]


@payload
class AddCustomerToSegmentPayload:
    customer: Customer = strawberry.field(description="The customer, read fresh.")
    segment: LoyaltySegment = strawberry.field(
        description="The membership: the segment and until when the customer is in it."
    )


@payload
class RemoveCustomerFromSegmentPayload:
    customer: Customer = strawberry.field(description="The customer, read fresh.")
    segment_id: strawberry.ID = strawberry.field(description="The segment.")
    removed: bool = strawberry.field(
        description="True when a membership was removed; false when the customer was not in "
        "the segment (so a retried removal is not an error)."
    )


@strawberry.type
class SegmentMutation:
    @mutation(
        CanWriteCustomers,
        description=(
            "Add a customer to a loyalty segment by hand. The segment's own rule decides until "
            "when; adding again changes nothing. Inactive or archived segments refuse members."
        ),
    )
    async def add_customer_to_segment(
        self, info: Info, customer_id: CustomerIdArg, segment_id: SegmentIdArg
    ) -> AddCustomerToSegmentPayload:
        membership = await add_to_segment(info.context, str(customer_id), str(segment_id))
        return AddCustomerToSegmentPayload(
            customer=Customer.from_id(str(customer_id)),
            segment=LoyaltySegment.from_tallymarks(membership),
        )

    @mutation(CanWriteCustomers, description="Remove a customer from a loyalty segment.")
    async def remove_customer_from_segment(
        self, info: Info, customer_id: CustomerIdArg, segment_id: SegmentIdArg
    ) -> RemoveCustomerFromSegmentPayload:
        removed = await remove_from_segment(info.context, str(customer_id), str(segment_id))
        return RemoveCustomerFromSegmentPayload(
            customer=Customer.from_id(str(customer_id)), segment_id=segment_id, removed=removed
        )

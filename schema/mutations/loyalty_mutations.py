"""Points in the loyalty system (Tallymarks): redeem them, or assess what a basket earns."""

from __future__ import annotations

from typing import Annotated, TypedDict

import strawberry

from resolvers.writes.loyalty_events import assess_basket, redeem_points
from schema.customer import Customer
from schema.info import Info
from schema.mutations.declare import mutation, payload
from schema.mutations.loyalty_inputs import AssessBasketInput, RedeemPointsInput
from schema.permissions import CanReadCustomers, CanWriteCustomers
from vendors.tallymarks.models import BasketOutcome as TallymarksBasketOutcome
from vendors.tallymarks.models import EventAccepted

__all__ = ["AssessBasketPayload", "BasketOutcome", "LoyaltyMutation", "RedeemPointsPayload"]


class RecordedEvent(TypedDict):
    """The payload fields every loyalty event has (a redemption is one), typed so that
    ``Payload(**recorded_event(...))`` is checked like the keyword arguments it becomes."""

    event_id: strawberry.ID
    already_recorded: bool
    customer: Customer


def recorded_event(accepted: EventAccepted, customer_id: str) -> RecordedEvent:
    """The event's id, whether an earlier request recorded it already, and the customer to
    read fresh."""
    return RecordedEvent(
        event_id=strawberry.ID(accepted.event_id),
        already_recorded=accepted.is_existing,
        customer=Customer.from_id(customer_id),
    )


@payload
class RedeemPointsPayload:
    event_id: strawberry.ID = strawberry.field(description="The redemption event's id.")
    already_recorded: bool = strawberry.field(
        description="True when this event id was already redeemed (nothing was spent again)."
    )
    current_balance: int = strawberry.field(description="The balance before this redemption.")
    pending_balance: int = strawberry.field(description="The balance once it is processed.")
    customer: Customer = strawberry.field(description="The customer, read fresh.")


@strawberry.type(description="What one loyalty rule would do for the basket.")
class BasketOutcome:
    rule_id: strawberry.ID | None = strawberry.field(description="The matching rule.")
    fulfilment: str | None = strawberry.field(
        description="What the rule does, e.g. points, a segment, a message."
    )
    description: str | None = strawberry.field(description="The rule's description.")
    points: int = strawberry.field(description="Points it would award.")
    segment_id: strawberry.ID | None = strawberry.field(
        description="The segment it would add the customer to, if any."
    )

    @classmethod
    def from_tallymarks(cls, o: TallymarksBasketOutcome) -> BasketOutcome:
        return cls(
            rule_id=strawberry.ID(o.assessment_rule_id) if o.assessment_rule_id else None,
            fulfilment=o.fulfilment,
            description=o.description,
            points=o.points,
            segment_id=strawberry.ID(o.segment_id) if o.segment_id else None,
        )


@payload
class AssessBasketPayload:
    potential_points: int = strawberry.field(description="Points the basket would earn.")
    outcomes: list[BasketOutcome] = strawberry.field(description="The rules that would match.")


@strawberry.type
class LoyaltyMutation:
    @mutation(
        CanWriteCustomers,
        description=(
            "Spend a customer's points. Checked at once: a locked account or too few points is "
            "BAD_USER_INPUT. Retry with the same `eventId` to never spend twice."
        ),
    )
    async def redeem_points(
        self,
        info: Info,
        input: Annotated[RedeemPointsInput, strawberry.argument(description="The redemption.")],
    ) -> RedeemPointsPayload:
        event = input.to_tallymarks("input")
        accepted = await redeem_points(info.context, event)
        return RedeemPointsPayload(
            **recorded_event(accepted, event.customer_id),
            current_balance=accepted.current_balance,
            pending_balance=accepted.pending_balance,
        )

    @mutation(
        CanReadCustomers,
        description="What a basket would earn under the loyalty rules; nothing is recorded.",
    )
    async def assess_basket(
        self,
        info: Info,
        input: Annotated[AssessBasketInput, strawberry.argument(description="The basket.")],
    ) -> AssessBasketPayload:
        assessment = await assess_basket(info.context, input.to_tallymarks("input"))
        return AssessBasketPayload(
            potential_points=assessment.potential_points,
            outcomes=[BasketOutcome.from_tallymarks(o) for o in assessment.outcomes],
        )

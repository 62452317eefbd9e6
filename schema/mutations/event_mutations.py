"""Track events: loyalty events (Tallymarks) and promotion events (Talon.One)."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry.scalars import JSON

from resolvers.writes.loyalty_events import track_loyalty_event
from resolvers.writes.promotion_events import track_promotion_event
from resolvers.writes.validation import check_json_object, check_non_empty
from schema.cart_effects import PromotionEffect, promotion_effect
from schema.customer import Customer
from schema.info import Info
from schema.mutations.arguments import CustomerIdArg
from schema.mutations.declare import mutation, payload
from schema.mutations.loyalty_inputs import TrackLoyaltyEventInput
from schema.mutations.loyalty_mutations import recorded_event
from schema.permissions import CanManagePromotions, CanWriteCustomers

__all__ = ["EventMutation", "TrackLoyaltyEventPayload", "TrackPromotionEventPayload"]


@payload
class TrackLoyaltyEventPayload:
    event_id: strawberry.ID = strawberry.field(description="The event's id (yours or a new one).")
    already_recorded: bool = strawberry.field(
        description="True when an event with this id was already recorded; it was not "
        "processed again."
    )
    customer: Customer = strawberry.field(
        description="The customer, read fresh (points may take a moment to be awarded)."
    )


@payload
class TrackPromotionEventPayload:
    event_id: strawberry.ID | None = strawberry.field(
        description="The promotion engine's id of the stored event."
    )
    effects: list[PromotionEffect] = strawberry.field(
        description="What the promotion rules did in response (points, coupons …)."
    )
    customer: Customer = strawberry.field(description="The customer, read fresh.")


@strawberry.type
class EventMutation:
    @mutation(
        CanWriteCustomers,
        description=(
            "Record a loyalty event (action, order, transaction or points); the loyalty rules "
            "award points and segments from it. Retry with the same `eventId` to record it once."
        ),
    )
    async def track_loyalty_event(
        self,
        info: Info,
        input: Annotated[TrackLoyaltyEventInput, strawberry.argument(description="The event.")],
    ) -> TrackLoyaltyEventPayload:
        event = input.to_tallymarks("input")
        accepted = await track_loyalty_event(info.context, event)
        return TrackLoyaltyEventPayload(**recorded_event(accepted, event.customer_id))

    @mutation(
        CanManagePromotions,
        description=(
            "Record a custom promotion event (its type must be defined in the promotion "
            "engine, e.g. `review_written`); the promotion rules run on it."
        ),
    )
    async def track_promotion_event(
        self,
        info: Info,
        customer_id: CustomerIdArg,
        type: Annotated[str, strawberry.argument(description="The event type.")],
        attributes: Annotated[
            JSON | None,
            strawberry.argument(description="The event's attributes, as a JSON object."),
        ] = None,
    ) -> TrackPromotionEventPayload:
        event_type = check_non_empty(type, "type")
        attrs = check_json_object(attributes, "attributes") if attributes is not None else {}
        state = await track_promotion_event(info.context, str(customer_id), event_type, attrs)
        event = state.event if state is not None else None
        return TrackPromotionEventPayload(
            event_id=strawberry.ID(str(event.id)) if event is not None else None,
            effects=[promotion_effect(e) for e in state.effects] if state is not None else [],
            customer=Customer.from_id(str(customer_id)),
        )

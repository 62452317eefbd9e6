"""The mutation inputs' own checks and the payload decorator, without a gateway.

Each kind of loyalty event validates its own part; these pin that every check still names
the argument path the client sent (``input.order.taxTotal`` …) and that the typed event
carries the details given."""

from __future__ import annotations

import uuid

import pytest
import strawberry

from gateway.errors import BadUserInputError
from schema.mutations.declare import payload
from schema.mutations.loyalty_inputs import (
    LineItemInput,
    LoyaltyActionInput,
    LoyaltyOrderInput,
    LoyaltyPointsInput,
    LoyaltyTransactionInput,
    TrackLoyaltyEventInput,
)
from vendors.tallymarks.models import (
    ActionEvent,
    OrderEvent,
    PointsEvent,
    TransactionEvent,
)

CUSTOMER = strawberry.ID(str(uuid.UUID(int=7)))


def _event(**kind: object) -> TrackLoyaltyEventInput:
    return TrackLoyaltyEventInput(customer_id=CUSTOMER, name_space="Shop.Event", **kind)


@pytest.mark.parametrize(
    ("kind", "argument"),
    [
        ({"action": LoyaltyActionInput(amount=-2e9)}, "input.action.amount"),
        ({"order": LoyaltyOrderInput(total=-1)}, "input.order.total"),
        ({"order": LoyaltyOrderInput(total=1, tax_total=-1)}, "input.order.taxTotal"),
        ({"order": LoyaltyOrderInput(total=1, shipping_total=2e9)}, "input.order.shippingTotal"),
        (
            {"order": LoyaltyOrderInput(total=1, order_number="x" * 10_000)},
            "input.order.orderNumber",
        ),
        ({"order": LoyaltyOrderInput(total=1, currency="eur")}, "input.order.currency"),
        (
            {"order": LoyaltyOrderInput(total=1, line_items=[LineItemInput(sku="A", quantity=0)])},
            "input.order.lineItems[0].quantity",
        ),
        ({"transaction": LoyaltyTransactionInput(total=float("nan"))}, "input.transaction.total"),
        (
            {"transaction": LoyaltyTransactionInput(total=1, currency="EURO")},
            "input.transaction.currency",
        ),
        (
            {"transaction": LoyaltyTransactionInput(total=1, type="x" * 10_000)},
            "input.transaction.type",
        ),
        ({"points": LoyaltyPointsInput(amount=0)}, "input.points.amount"),
    ],
)
def test_each_kind_of_event_names_its_bad_field(kind: dict[str, object], argument: str) -> None:
    with pytest.raises(BadUserInputError) as caught:
        _event(**kind).to_tallymarks("input")

    assert caught.value.extensions == {"argument": argument}


def test_an_action_without_a_name_space_is_refused_before_its_amount() -> None:
    event = TrackLoyaltyEventInput(
        customer_id=CUSTOMER, action=LoyaltyActionInput(amount=-2e9, count=1)
    )

    with pytest.raises(BadUserInputError) as caught:
        event.to_tallymarks("input")

    assert caught.value.extensions == {"argument": "input.nameSpace"}


def test_each_kind_of_event_carries_its_details() -> None:
    action = _event(action=LoyaltyActionInput(amount=-3.5, count=2)).to_tallymarks("input")
    order = _event(
        order=LoyaltyOrderInput(
            total=120.5,
            order_number="ORD-1",
            tax_total=20,
            shipping_total=5,
            currency="EUR",
            line_items=[LineItemInput(sku="SHOE-1", quantity=2)],
        )
    ).to_tallymarks("input")
    transaction = _event(
        transaction=LoyaltyTransactionInput(total=9.5, currency="EUR", type="refund")
    ).to_tallymarks("input")
    points = _event(points=LoyaltyPointsInput(amount=-40)).to_tallymarks("input")

    assert isinstance(action, ActionEvent)
    assert (action.action.amount, action.action.count) == (-3.5, 2)
    assert isinstance(order, OrderEvent)
    assert (order.order.total, order.order.order_number, order.order.currency) == (
        120.5,
        "ORD-1",
        "EUR",
    )
    assert (order.order.tax_total, order.order.shipping_total) == (20, 5)
    assert [(i.sku, i.quantity) for i in order.order.line_items] == [("SHOE-1", 2)]
    assert isinstance(transaction, TransactionEvent)
    assert (transaction.transaction.total, transaction.transaction.type) == (9.5, "refund")
    assert isinstance(points, PointsEvent)
    assert points.points.amount == -40
    assert {e.customer_id for e in (action, order, transaction, points)} == {str(CUSTOMER)}


def test_a_payload_is_described_as_the_result_of_the_mutation_it_names() -> None:
    @payload
    class SetAudienceMemberAttributesPayload:
        done: bool = strawberry.field(description="Done.")

    definition = SetAudienceMemberAttributesPayload.__strawberry_definition__
    assert definition.description == "The result of `setAudienceMemberAttributes`."
    assert definition.name == "SetAudienceMemberAttributesPayload"


@pytest.mark.parametrize("name", ["AudienceResult", "Payload"])
def test_a_payload_must_be_named_after_its_mutation(name: str) -> None:
    with pytest.raises(TypeError, match="Payload"):
        payload(type(name, (), {}))

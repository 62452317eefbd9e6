"""Inputs of the loyalty event mutations, validated into Tallymarks event models."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry

from gateway.errors import BadUserInputError
from resolvers.writes.input_limits import (
    MAX_AMOUNT,
    check_amount,
    check_event_time,
    check_length,
    check_lengths,
)
from resolvers.writes.loyalty_events import LoyaltyEvent
from resolvers.writes.validation import check_currency, check_guid, check_non_empty
from schema.mutations.person_input import NameValueInput
from vendors.tallymarks.models import (
    ActionDetails,
    ActionEvent,
    BasketDetails,
    BasketEvent,
    EventAttribute,
    LineItem,
    OrderDetails,
    OrderEvent,
    PointsDetails,
    PointsEvent,
    RedemptionDetails,
    RedemptionEvent,
    TransactionDetails,
    TransactionEvent,
    new_event_id,
)

__all__ = [
    "AssessBasketInput",
    "LineItemInput",
    "LoyaltyActionInput",
    "LoyaltyOrderInput",
    "LoyaltyPointsInput",
    "LoyaltyTransactionInput",
    "RedeemPointsInput",
    "TrackLoyaltyEventInput",
]

EVENT_ID = (
    "Your id for the event (a GUID). Keep it to retry safely: the loyalty system records an "
    "event id once. Left out, a new one is made."
)


@strawberry.input(description="One product line of an order or basket.")
class LineItemInput:
    sku: str = strawberry.field(description="The product's SKU (not empty).")
    quantity: int = strawberry.field(default=1, description="How many (at least 1).")
    price: float | None = strawberry.field(default=None, description="The price of one.")
    vendor: str | None = strawberry.field(default=None, description="The product's vendor.")
    product_category: str | None = strawberry.field(
        default=None, description="The product category (rules may match on it)."
    )
    product_type: str | None = strawberry.field(default=None, description="The product type.")

    def to_tallymarks(self, argument: str) -> LineItem:
        check_non_empty(self.sku, f"{argument}.sku")
        if self.quantity < 1:
            raise BadUserInputError(
                "The quantity must be at least 1.", argument=f"{argument}.quantity"
            )
        check_amount(self.price, f"{argument}.price")
        check_lengths(
            argument,
            {
                "sku": self.sku,
                "vendor": self.vendor,
                "productCategory": self.product_category,
                "productType": self.product_type,
            },
        )
        return LineItem(
            sku=self.sku,
            quantity=self.quantity,
            price=self.price,
            vendor=self.vendor,
            product_category=self.product_category,
            product_type=self.product_type,
        )


def _lines(items: list[LineItemInput] | None, argument: str) -> list[LineItem]:
    return [item.to_tallymarks(f"{argument}[{i}]") for i, item in enumerate(items or [])]


@strawberry.input(description="A customer action, e.g. a registration or a review.")
class LoyaltyActionInput:
    amount: float = strawberry.field(default=0.0, description="An amount the rules may use.")
    count: int = strawberry.field(default=0, description="A count the rules may use.")

    def to_tallymarks(self, argument: str) -> ActionDetails:
        check_amount(self.amount, f"{argument}.amount", least=-MAX_AMOUNT)
        return ActionDetails(amount=self.amount, count=self.count)


@strawberry.input(description="A completed order.")
class LoyaltyOrderInput:
    total: float = strawberry.field(description="The order total (points per currency unit).")
    order_number: str | None = strawberry.field(default=None, description="Your order number.")
    tax_total: float | None = strawberry.field(default=None, description="Tax in the total.")
    shipping_total: float | None = strawberry.field(
        default=None, description="Shipping in the total."
    )
    currency: str | None = strawberry.field(default=None, description="ISO currency code.")
    line_items: list[LineItemInput] | None = strawberry.field(
        default=None, description="The order's lines."
    )

    def to_tallymarks(self, argument: str) -> OrderDetails:
        check_amount(self.total, f"{argument}.total")
        check_amount(self.tax_total, f"{argument}.taxTotal")
        check_amount(self.shipping_total, f"{argument}.shippingTotal")
        check_length(self.order_number, f"{argument}.orderNumber")
        check_currency(self.currency, f"{argument}.currency")
        return OrderDetails(
            total=self.total,
            order_number=self.order_number,
            tax_total=self.tax_total,
            shipping_total=self.shipping_total,
            currency=self.currency,
            line_items=_lines(self.line_items, f"{argument}.lineItems"),
        )


@strawberry.input(description="A payment or transfer of funds.")
class LoyaltyTransactionInput:
    total: float = strawberry.field(description="The amount (points per currency unit).")
    currency: str | None = strawberry.field(default=None, description="ISO currency code.")
    type: str | None = strawberry.field(default=None, description="Your kind of transaction.")

    def to_tallymarks(self, argument: str) -> TransactionDetails:
        check_amount(self.total, f"{argument}.total")
        check_currency(self.currency, f"{argument}.currency")
        check_length(self.type, f"{argument}.type")
        return TransactionDetails(total=self.total, currency=self.currency, type=self.type)


@strawberry.input(description="Points given or taken directly.")
class LoyaltyPointsInput:
    amount: int = strawberry.field(
        description="Points: positive to give, negative to take (not zero)."
    )

    def to_tallymarks(self, argument: str) -> PointsDetails:
        if self.amount == 0:
            raise BadUserInputError("Points must not be zero.", argument=f"{argument}.amount")
        return PointsDetails(amount=self.amount)


@strawberry.input(
    description="A loyalty event. Give exactly one of `action`, `order`, `transaction`, `points`."
)
class TrackLoyaltyEventInput:
    customer_id: strawberry.ID = strawberry.field(
        description="The customer's canonical id (an unknown id creates the customer)."
    )
    event_id: strawberry.ID | None = strawberry.field(default=None, description=EVENT_ID)
    name_space: str | None = strawberry.field(
        default=None,
        description="What happened, as your rules name it, e.g. `Customer.Registration` "
        "(required for an action).",
    )
    reference: str | None = strawberry.field(
        default=None, description="Your reference, e.g. an order number (searchable)."
    )
    campaign: str | None = strawberry.field(default=None, description="The campaign behind it.")
    description: str | None = strawberry.field(default=None, description="A description.")
    occurred_at: datetime | None = strawberry.field(
        default=None, description="When it happened; now when left out."
    )
    attributes: list[NameValueInput] | None = strawberry.field(
        default=None, description="Event attributes the rules may use."
    )
    action: LoyaltyActionInput | None = strawberry.field(
        default=None, description="An action event."
    )
    order: LoyaltyOrderInput | None = strawberry.field(default=None, description="An order event.")
    transaction: LoyaltyTransactionInput | None = strawberry.field(
        default=None, description="A transaction event."
    )
    points: LoyaltyPointsInput | None = strawberry.field(
        default=None, description="A points event."
    )

    def to_tallymarks(self, argument: str) -> LoyaltyEvent:
        kinds = [k for k in ("action", "order", "transaction", "points") if getattr(self, k)]
        if len(kinds) != 1:
            raise BadUserInputError(
                "Give exactly one of action, order, transaction or points.", argument=argument
            )
        check_lengths(
            argument,
            {
                "nameSpace": self.name_space,
                "reference": self.reference,
                "campaign": self.campaign,
                "description": self.description,
            },
        )
        check_event_time(self.occurred_at, f"{argument}.occurredAt")
        for i, attribute in enumerate(self.attributes or []):
            check_non_empty(attribute.name, f"{argument}.attributes[{i}].name")
            check_length(attribute.name, f"{argument}.attributes[{i}].name")
            check_length(attribute.value, f"{argument}.attributes[{i}].value")
        envelope: dict[str, Any] = {
            "event_id": _event_id(self.event_id, f"{argument}.eventId"),
            "customer_id": check_guid(str(self.customer_id), f"{argument}.customerId"),
            "name_space": self.name_space,
            "reference": self.reference,
            "campaign": self.campaign,
            "description": self.description,
            "created_at": self.occurred_at,
            "attributes": [EventAttribute(key=a.name, value=a.value) for a in self.attributes]
            if self.attributes
            else None,
        }
        return self._typed(envelope, argument)

    def _typed(self, envelope: dict[str, Any], argument: str) -> LoyaltyEvent:
        """The envelope with the one kind of event given; each kind checks its own part."""
        if self.action is not None:
            if not self.name_space:
                raise BadUserInputError(
                    "An action needs a nameSpace.", argument=f"{argument}.nameSpace"
                )
            return ActionEvent(**envelope, action=self.action.to_tallymarks(f"{argument}.action"))
        if self.order is not None:
            return OrderEvent(**envelope, order=self.order.to_tallymarks(f"{argument}.order"))
        if self.transaction is not None:
            details = self.transaction.to_tallymarks(f"{argument}.transaction")
            return TransactionEvent(**envelope, transaction=details)
        assert self.points is not None
        return PointsEvent(**envelope, points=self.points.to_tallymarks(f"{argument}.points"))


@strawberry.input(description="Points the customer spends.")
class RedeemPointsInput:
    customer_id: strawberry.ID = strawberry.field(description="The customer's canonical id.")
    points: int = strawberry.field(description="How many points to spend (at least 1).")
    event_id: strawberry.ID | None = strawberry.field(default=None, description=EVENT_ID)
    reference: str | None = strawberry.field(
        default=None, description="Your reference, e.g. the order paid with points."
    )
    description: str | None = strawberry.field(default=None, description="A description.")

    def to_tallymarks(self, argument: str) -> RedemptionEvent:
        if self.points < 1:
            raise BadUserInputError("Redeem at least 1 point.", argument=f"{argument}.points")
        check_length(self.reference, f"{argument}.reference")
        check_length(self.description, f"{argument}.description")
        return RedemptionEvent(
            event_id=_event_id(self.event_id, f"{argument}.eventId"),
            customer_id=check_guid(str(self.customer_id), f"{argument}.customerId"),
            reference=self.reference,
            description=self.description,
            redemption=RedemptionDetails(amount=self.points),
        )


@strawberry.input(description="A basket to assess: what it would earn, nothing is recorded.")
class AssessBasketInput:
    customer_id: strawberry.ID = strawberry.field(description="The customer's canonical id.")
    total: float = strawberry.field(description="The basket total.")
    currency: str | None = strawberry.field(default=None, description="ISO currency code.")
    line_items: list[LineItemInput] | None = strawberry.field(
        default=None, description="The basket's lines."
    )

    def to_tallymarks(self, argument: str) -> BasketEvent:
        check_amount(self.total, f"{argument}.total")
        check_currency(self.currency, f"{argument}.currency")
        return BasketEvent(
            customer_id=check_guid(str(self.customer_id), f"{argument}.customerId"),
            basket=BasketDetails(
                total=self.total,
                currency=self.currency,
                line_items=_lines(self.line_items, f"{argument}.lineItems"),
            ),
        )


def _event_id(value: strawberry.ID | None, argument: str) -> str:
    return check_guid(str(value), argument) if value else new_event_id()

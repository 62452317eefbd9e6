"""Inputs of the cart session mutations, validated into Talon.One request models."""

from __future__ import annotations

import strawberry
from strawberry.scalars import JSON

from gateway.errors import BadUserInputError
from resolvers.writes.input_limits import check_amount
from resolvers.writes.validation import (
    MAX_CART_ITEMS,
    MAX_CODE_LENGTH,
    check_count,
    check_json_object,
    check_non_empty,
)
from schema.cart import CartSessionState
from vendors.talon.models import (
    AdditionalCost,
    CartItem,
    NewCustomerSessionV2,
    ReturnedCartItem,
    SessionState,
)

__all__ = [
    "AdditionalCostInput",
    "CartItemInput",
    "ReturnedCartItemInput",
    "UpdateCartSessionInput",
    "returned_items",
]


@strawberry.input(description="One line of the cart.")
class CartItemInput:
    sku: str = strawberry.field(description="The product's SKU (not empty).")
    name: str = strawberry.field(description="The product's name (not empty).")
    quantity: int = strawberry.field(description="How many (at least 1).")
    price: float = strawberry.field(description="The price of one (not negative).")
    category: str | None = strawberry.field(
        default=None, description="The product category (rules may match on it)."
    )
    attributes: JSON | None = strawberry.field(
        default=None, description="The item's custom attributes, as a JSON object."
    )

    def to_talon(self, argument: str) -> CartItem:
        check_non_empty(self.sku, f"{argument}.sku")
        check_non_empty(self.name, f"{argument}.name")
        if self.quantity < 1:
            raise BadUserInputError(
                "The quantity must be at least 1.", argument=f"{argument}.quantity"
            )
        check_amount(self.price, f"{argument}.price")
        item = CartItem(sku=self.sku, name=self.name, quantity=self.quantity, price=self.price)
        if self.category is not None:
            item.category = self.category
        if self.attributes is not None:
            item.attributes = check_json_object(self.attributes, f"{argument}.attributes")
        return item


@strawberry.input(description="A cost on top of the items, such as shipping.")
class AdditionalCostInput:
    name: str = strawberry.field(description="The cost's name, as the promotion engine knows it.")
    price: float = strawberry.field(description="The amount (not negative).")


@strawberry.input(
    description=(
        "Changes to a cart session. Fields left out keep their stored values; send the whole "
        "cart each time it changes."
    )
)
class UpdateCartSessionInput:
    customer_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="The customer shopping (canonical id). Left out on a new session: an "
        "anonymous cart.",
    )
    cart_items: list[CartItemInput] | None = strawberry.field(
        default=None, description="The whole cart (at most 1000 lines); `[]` empties it."
    )
    coupon_codes: list[str] | None = strawberry.field(
        default=None, description="The coupon codes entered; `[]` removes them all."
    )
    referral_code: str | None = strawberry.field(
        default=None, description='The referral code entered; `""` removes it.'
    )
    state: CartSessionState | None = strawberry.field(
        default=None,
        description="Move the session on: CLOSED when paid (redeems codes and points), "
        "CANCELLED to abandon or revoke it.",
    )
    additional_costs: list[AdditionalCostInput] | None = strawberry.field(
        default=None, description="Costs on top of the items; replace the stored ones."
    )
    attributes: JSON | None = strawberry.field(
        default=None,
        description="Session attributes as a JSON object (defined in the promotion engine, "
        'e.g. `{"ShippingCountry": "NL"}`).',
    )

    def to_talon(self, argument: str) -> NewCustomerSessionV2:
        """Only the fields given are set, so the others keep their stored values."""
        session = NewCustomerSessionV2()
        if self.customer_id is not None:
            session.profile_id = str(self.customer_id)
        if self.cart_items is not None:
            check_count(self.cart_items, f"{argument}.cartItems", most=MAX_CART_ITEMS)
            session.cart_items = [
                item.to_talon(f"{argument}.cartItems[{i}]")
                for i, item in enumerate(self.cart_items)
            ]
        if self.coupon_codes is not None:
            session.coupon_codes = [
                check_non_empty(code, f"{argument}.couponCodes[{i}]", most=MAX_CODE_LENGTH)
                for i, code in enumerate(self.coupon_codes)
            ]
        if self.referral_code is not None:
            if len(self.referral_code) > MAX_CODE_LENGTH:
                raise BadUserInputError(
                    f"At most {MAX_CODE_LENGTH} characters.", argument=f"{argument}.referralCode"
                )
            session.referral_code = self.referral_code
        if self.state is not None:
            session.state = _STATES[self.state]
        if self.additional_costs is not None:
            session.additional_costs = _costs(self.additional_costs, f"{argument}.additionalCosts")
        if self.attributes is not None:
            session.attributes = check_json_object(self.attributes, f"{argument}.attributes")
        return session


_STATES: dict[CartSessionState, SessionState] = {
    CartSessionState.OPEN: "open",
    CartSessionState.CLOSED: "closed",
    CartSessionState.PARTIALLY_RETURNED: "partially_returned",
    CartSessionState.CANCELLED: "cancelled",
}


def _costs(costs: list[AdditionalCostInput], argument: str) -> dict[str, AdditionalCost]:
    out: dict[str, AdditionalCost] = {}
    for i, cost in enumerate(costs):
        name = check_non_empty(cost.name, f"{argument}[{i}].name")
        check_amount(cost.price, f"{argument}[{i}].price")
        out[name] = AdditionalCost(price=cost.price)
    return out


@strawberry.input(description="A cart line to return.")
class ReturnedCartItemInput:
    position: int = strawberry.field(description="The line's position in the cart (from 0).")
    quantity: int | None = strawberry.field(
        default=None,
        description="How many to return; only where the promotion engine flattens cart "
        "items. Left out, the whole line is returned.",
    )


def returned_items(items: list[ReturnedCartItemInput], argument: str) -> list[ReturnedCartItem]:
    check_count(items, argument, least=1, most=MAX_CART_ITEMS)
    seen: set[int] = set()
    out = []
    for i, item in enumerate(items):
        if item.position < 0 or item.position in seen:
            raise BadUserInputError(
                "Positions must be distinct and not negative.", argument=f"{argument}[{i}].position"
            )
        seen.add(item.position)
        returned = ReturnedCartItem(position=item.position)
        if item.quantity is not None:
            if item.quantity < 1:
                raise BadUserInputError(
                    "The quantity must be at least 1.", argument=f"{argument}[{i}].quantity"
                )
            returned.quantity = item.quantity
        out.append(returned)
    return out

"""Cart sessions (Talon.One customer sessions): the cart, its totals, state and effects,
and the ``cartSession(id:)`` query."""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Annotated

import strawberry
from strawberry.scalars import JSON

from resolvers.cart import cart_session
from schema.cart_effects import PromotionEffect, promotion_effect
from schema.customer_ref import CustomerRef, customer_from_id
from schema.info import Info
from schema.permissions import CanReadPromotions
from vendors.talon.models import CartItem as TalonCartItem
from vendors.talon.models import CustomerSessionV2, Effect

__all__ = ["CartItem", "CartQuery", "CartSession", "CartSessionState"]


@strawberry.enum(description="Where a cart session is in its life.")
class CartSessionState(Enum):
    OPEN = strawberry.enum_value("open", description="Being shopped; effects are tentative.")
    CLOSED = strawberry.enum_value(
        "closed", description="Paid: coupons and points are redeemed for good."
    )
    PARTIALLY_RETURNED = strawberry.enum_value(
        "partially_returned", description="Closed, then some items were returned."
    )
    CANCELLED = strawberry.enum_value(
        "cancelled", description="Abandoned or revoked: its effects are rolled back."
    )


@strawberry.type(description="One line of the cart.")
class CartItem:
    position: int = strawberry.field(
        description="The line's index in the cart (what returns and item discounts refer to)."
    )
    sku: str = strawberry.field(description="The product's SKU.")
    name: str = strawberry.field(description="The product's name.")
    quantity: int = strawberry.field(description="How many are in the cart.")
    price: float | None = strawberry.field(description="The price of one.")
    category: str | None = strawberry.field(description="The product category.")
    returned_quantity: int | None = strawberry.field(
        description="How many were returned; null when none was."
    )
    remaining_quantity: int | None = strawberry.field(
        description="How many are kept after returns; null when none was returned."
    )
    attributes: JSON | None = strawberry.field(description="The item's custom attributes.")

    @classmethod
    def from_talon(cls, item: TalonCartItem, index: int) -> CartItem:
        return cls(
            position=int(item.position) if item.position is not None else index,
            sku=item.sku,
            name=item.name,
            quantity=item.quantity,
            price=item.price,
            category=item.category,
            returned_quantity=item.returned_quantity,
            remaining_quantity=item.remaining_quantity,
            attributes=JSON(item.attributes) if item.attributes is not None else None,
        )


@strawberry.type(description="A cost on top of the items, such as shipping.")
class CartAdditionalCost:
    name: str = strawberry.field(description="The cost's name, e.g. `shipping`.")
    price: float = strawberry.field(description="The amount.")


@strawberry.type(
    description=(
        "A shopping cart as the promotion engine (Talon.One) evaluates it: the items, the "
        "codes entered, the totals before discounts, and the effects (discounts, accepted or "
        "rejected codes, points …) in force."
    )
)
class CartSession:
    id: strawberry.ID = strawberry.field(description="The cart session's id (chosen by you).")
    customer_id: strawberry.ID | None = strawberry.field(
        description="The customer shopping; null for an anonymous cart."
    )
    state: CartSessionState = strawberry.field(description="Where the session is in its life.")
    items: list[CartItem] = strawberry.field(description="The cart's lines, in order.")
    coupon_codes: list[str] = strawberry.field(description="The coupon codes entered.")
    referral_code: str | None = strawberry.field(description="The referral code entered.")
    additional_costs: list[CartAdditionalCost] = strawberry.field(
        description="Costs on top of the items, such as shipping."
    )
    attributes: JSON = strawberry.field(description="The session's custom attributes.")
    cart_item_total: float = strawberry.field(
        description="Sum of price times quantity, before discounts."
    )
    additional_cost_total: float = strawberry.field(description="Sum of the additional costs.")
    total: float = strawberry.field(description="Items plus additional costs, before discounts.")
    first_session: bool = strawberry.field(
        description="Whether this is the customer's first session (always true if anonymous)."
    )
    created_at: datetime = strawberry.field(description="When the session was created.")
    updated_at: datetime = strawberry.field(description="When the session last changed.")
    #: the effects in force when known from the same answer (else read when asked for)
    known_effects: strawberry.Private[list[Effect] | None]

    @classmethod
    def from_talon(cls, s: CustomerSessionV2, effects: list[Effect] | None) -> CartSession:
        return cls(
            id=strawberry.ID(s.integration_id),
            customer_id=strawberry.ID(s.profile_id) if s.profile_id else None,
            state=CartSessionState(s.state),
            items=[CartItem.from_talon(item, i) for i, item in enumerate(s.cart_items)],
            coupon_codes=list(s.coupon_codes or []),
            referral_code=s.referral_code or None,
            additional_costs=[
                CartAdditionalCost(name=name, price=cost.price)
                for name, cost in (s.additional_costs or {}).items()
            ],
            attributes=JSON(dict(s.attributes)),
            cart_item_total=s.cart_item_total,
            additional_cost_total=s.additional_cost_total,
            total=s.total,
            first_session=s.first_session,
            created_at=s.created,
            updated_at=s.updated,
            known_effects=effects,
        )

    @strawberry.field(
        description=(
            "The rule engine's effects in force: discounts, accepted and rejected codes, points, "
            "free items, notifications. Rolled-back effects are left out."
        )
    )
    async def effects(self, info: Info) -> list[PromotionEffect] | None:
        effects = self.known_effects
        if effects is None:
            found = await cart_session(info.context, str(self.id))
            effects = list(found.effects or []) if found else None
        return None if effects is None else [promotion_effect(e) for e in effects]

    @strawberry.field(description="The customer shopping; null for an anonymous cart.")
    def customer(self) -> CustomerRef | None:
        return customer_from_id(str(self.customer_id)) if self.customer_id else None


@strawberry.type
class CartQuery:
    @strawberry.field(
        permission_classes=[CanReadPromotions],
        description="A cart session by its id; null when there is no such session.",
    )
    async def cart_session(
        self,
        info: Info,
        id: Annotated[
            strawberry.ID, strawberry.argument(description="The cart session's id (yours).")
        ],
    ) -> CartSession | None:
        found = await cart_session(info.context, str(id))
        if found is None or found.customer_session is None:
            return None
        return CartSession.from_talon(found.customer_session, list(found.effects or []))

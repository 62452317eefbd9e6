"""Coupon reservations (Talon.One)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from resolvers.writes.coupons import release_coupon, reserve_coupon
from resolvers.writes.validation import MAX_IDS_PER_CALL, check_count, check_non_empty
from schema.coupon import Coupon
from schema.customer import Customer
from schema.info import Info
from schema.mutations.declare import mutation, payload
from schema.permissions import CanManagePromotions

__all__ = ["CouponMutation", "ReleaseCouponPayload", "ReserveCouponPayload"]

ValueArg = Annotated[str, strawberry.argument(description="The coupon code.")]
CustomerIdsArg = Annotated[
    list[strawberry.ID],
    strawberry.argument(description="The customers' canonical ids (1 to 1000)."),
]


def _ids(values: list[strawberry.ID]) -> list[str]:
    check_count(values, "customerIds", least=1, most=MAX_IDS_PER_CALL)
    return list(dict.fromkeys(check_non_empty(str(v), "customerIds") for v in values))


@payload
class ReserveCouponPayload:
    coupon: Coupon = strawberry.field(description="The coupon, with who holds it now.")
    customers: list[Customer] = strawberry.field(description="The customers it was reserved for.")


@payload
class ReleaseCouponPayload:
    coupon: Coupon = strawberry.field(description="The coupon, with who still holds it.")
    customers: list[Customer] = strawberry.field(description="The customers it was released from.")


@strawberry.type
class CouponMutation:
    @mutation(
        CanManagePromotions,
        description=(
            "Reserve a coupon for customers: it shows in their coupons (a soft reservation — "
            "anyone may still redeem it). Reserving again changes nothing."
        ),
    )
    async def reserve_coupon(
        self, info: Info, value: ValueArg, customer_ids: CustomerIdsArg
    ) -> ReserveCouponPayload:
        ids = _ids(customer_ids)
        coupon = await reserve_coupon(info.context, check_non_empty(value, "value"), ids)
        return ReserveCouponPayload(
            coupon=Coupon.from_talon(coupon), customers=[Customer.from_id(i) for i in ids]
        )

    @mutation(CanManagePromotions, description="Remove customers' reservations of a coupon.")
    async def release_coupon(
        self, info: Info, value: ValueArg, customer_ids: CustomerIdsArg
    ) -> ReleaseCouponPayload:
        ids = _ids(customer_ids)
        await release_coupon(info.context, check_non_empty(value, "value"), ids)
        return ReleaseCouponPayload(
            coupon=Coupon.from_value(value), customers=[Customer.from_id(i) for i in ids]
        )

"""Coupons (Talon.One): a customer's coupons, the customers holding a coupon, and the
coupon-by-code query."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import strawberry

from gateway.errors import BadUserInputError
from resolvers.promotions import coupon_holder_ids
from schema.code_validity import CodeValidity
from schema.customer_ref import CustomerRef, customer_from_id
from schema.info import Info
from schema.permissions import CanReadPromotions
from vendors.talon.models import Coupon as TalonCoupon
from vendors.talon.models import InventoryCoupon

__all__ = ["Coupon", "CouponQuery", "CouponReservationKind", "CouponState"]


@strawberry.enum(description="Whether a coupon can be used by the customer holding it.")
class CouponState(Enum):
    ACTIVE = strawberry.enum_value("active", description="Reserved and usable now.")
    USED = strawberry.enum_value(
        "used", description="Redeemed by this customer, or at its usage limit."
    )
    EXPIRED = strawberry.enum_value("expired", description="Never redeemed and now expired.")
    PENDING = strawberry.enum_value("pending", description="Its start date is still to come.")
    DISABLED = strawberry.enum_value("disabled", description="Its campaign is not active.")


@strawberry.enum(description="How a coupon is reserved for its holders.")
class CouponReservationKind(Enum):
    SOFT = strawberry.enum_value(
        "soft", description="Shown in the holders' wallets, but anyone may redeem it."
    )
    HARD = strawberry.enum_value("hard", description="Only its one recipient may redeem it.")


@strawberry.type(
    description=(
        "A coupon code of the promotion engine (Talon.One). In a customer's `coupons` every "
        "field is set; in a reservation's result all but the holder's `state` and "
        "`redemptionsByCustomer`; from `coupon(value:)` only `value` and `reservedBy` (the "
        "promotion engine shows a coupon's details only per holder)."
    )
)
class Coupon(CodeValidity):
    value: str = strawberry.field(description="The code the customer enters.")
    campaign_id: int | None = strawberry.field(
        description="The promotion campaign the coupon belongs to."
    )
    state: CouponState | None = strawberry.field(
        description="Whether the customer holding it can use it (in a customer's `coupons`)."
    )
    usage_limit: int | None = strawberry.field(
        description="How many times the coupon may be redeemed in all; 0 means no limit."
    )
    usage_counter: int | None = strawberry.field(
        description="How many times the coupon has been redeemed, by anyone."
    )
    redemptions_by_customer: int | None = strawberry.field(
        description="How many times the customer holding it redeemed it (in `coupons`)."
    )
    reservation: CouponReservationKind | None = strawberry.field(
        description="How the coupon is reserved for its holders."
    )

    @classmethod
    def from_value(cls, value: str) -> Coupon:
        return cls(
            value=value,
            campaign_id=None,
            state=None,
            usage_limit=None,
            usage_counter=None,
            redemptions_by_customer=None,
            starts_at=None,
            expires_at=None,
            reservation=None,
        )

    @classmethod
    def from_talon(cls, c: TalonCoupon) -> Coupon:
        held = c if isinstance(c, InventoryCoupon) else None
        return cls(
            value=c.value,
            campaign_id=c.campaign_id,
            state=_state(held.state) if held else None,
            usage_limit=c.usage_limit,
            usage_counter=c.usage_counter,
            redemptions_by_customer=held.profile_redemption_count if held else None,
            starts_at=c.start_date,
            expires_at=c.expiry_date,
            reservation=(
                CouponReservationKind.HARD if c.reservation is False else CouponReservationKind.SOFT
            ),
        )

    @strawberry.field(
        description=(
            "The customers holding a (soft or hard) reservation of this coupon; null when the "
            "coupon no longer exists."
        )
    )
    async def reserved_by(self, info: Info) -> list[CustomerRef] | None:
        found = await coupon_holder_ids(info.context, self.value)
        return None if found is None else [customer_from_id(i) for i in found]


def _state(value: str) -> CouponState | None:
    try:
        return CouponState(value)
    except ValueError:
        return None


@strawberry.type
class CouponQuery:
    @strawberry.field(
        permission_classes=[CanReadPromotions],
        description=(
            "A coupon by its code, with the customers holding it; null when the promotion "
            "engine has no such coupon."
        ),
    )
    async def coupon(
        self,
        info: Info,
        value: Annotated[str, strawberry.argument(description="The coupon code.")],
    ) -> Coupon | None:
        value = value.strip()
        if not value:
            raise BadUserInputError("Give a coupon code.", argument="value")
        holders = await coupon_holder_ids(info.context, value)
        return None if holders is None else Coupon.from_value(value)

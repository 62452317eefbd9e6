"""The Customer fields about promotions (Talon.One):
promotion profile, audiences, coupons, referrals, loyalty, giveaways; and ``segments``, the
customer's loyalty segments and promotion audiences in one list.

A mixin of :class:`schema.customer.Customer`: each field loads the read its declaration
(``vendors.talon.reads``) keys for it from ``self.key`` (the canonical customer id)
and its arguments, through :func:`resolvers.field_reads.field_read`, then converts the
vendor model. The inventory fields of one customer share one customer-inventory call per
request (see :mod:`resolvers.loaders.talon`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, TypeVar

import strawberry

from resolvers import promotions
from resolvers.field_reads import field_read
from schema.coupon import Coupon
from schema.customer_segments import customer_segments
from schema.info import Info
from schema.promotions import Audience, Giveaway, PromotionLoyalty, PromotionProfile, Referral
from schema.segment import Segment, SegmentSource
from vendors.talon.models import CustomerInventory, Loyalty
from vendors.talon.models.loyalty import LoyaltyLedgerTransaction
from vendors.talon.reads import INVENTORY, LEDGER_DEFAULT_FIRST, LOYALTY_TRANSACTIONS

_NOT_KNOWN = "Null when the promotion engine has no profile for the customer."

M = TypeVar("M")
T = TypeVar("T")


async def _inventory_list(
    info: Info,
    field: str,
    customer_id: str,
    part: Callable[[CustomerInventory], list[M] | None],
    convert: Callable[[M], T],
) -> list[T] | None:
    """A list field read from the customer's inventory (one call per request for all of
    them): ``part`` of it, converted; null when the engine has no profile for the customer."""
    found = await field_read(info.context, INVENTORY, field, customer_id)
    return None if found is None else [convert(m) for m in part(found) or ()]


@strawberry.type(description="One row of the customer's ledger in a promotion loyalty program.")
class PromotionLoyaltyTransaction:
    id: int = strawberry.field(description="The row's id in the promotion engine.")
    created_at: datetime = strawberry.field(description="When the row was booked.")
    kind: str = strawberry.field(description="`addition` or `subtraction`.")
    amount: float = strawberry.field(description="Points the row added or deducted (≥ 0).")
    name: str = strawberry.field(description="Why: the rule, effect or API call behind it.")
    session_id: str = strawberry.field(
        description="The customer session (cart) it came from; empty when none."
    )
    subledger_id: str = strawberry.field(description="The sub-ledger; empty for the main one.")
    starts: str = strawberry.field(description="`immediate` or when the points activate.")
    expires: str = strawberry.field(description="`unlimited` or when the points expire.")

    @classmethod
    def from_talon(cls, t: LoyaltyLedgerTransaction) -> PromotionLoyaltyTransaction:
        return cls(
            id=t.id,
            created_at=t.created,
            kind=t.type,
            amount=abs(t.amount),
            name=t.name,
            session_id=t.customer_session_id,
            subledger_id=t.subledger_id,
            starts=t.start_date,
            expires=t.expiry_date,
        )


@strawberry.type
class PromotionFields:
    if TYPE_CHECKING:
        key: str

    @strawberry.field(
        description=f"The customer as the promotion engine (Talon.One) knows them. {_NOT_KNOWN}"
    )
    async def promotion_profile(self, info: Info) -> PromotionProfile | None:
        found = await field_read(info.context, INVENTORY, "Customer.promotionProfile", self.key)
        profile = found.profile if found else None
        return PromotionProfile.from_talon(profile) if profile else None

    @strawberry.field(
        description=f"The promotion engine's audiences the customer belongs to. {_NOT_KNOWN}"
    )
    async def audiences(self, info: Info) -> list[Audience] | None:
        found = await promotions.customer_audiences(info.context, self.key)
        return None if found is None else [Audience.from_talon(m) for m in found]

    @strawberry.field(
        description=(
            "The customer's coupon wallet: coupons reserved for them and coupons they "
            f"redeemed, oldest first. {_NOT_KNOWN}"
        )
    )
    async def coupons(self, info: Info) -> list[Coupon] | None:
        return await _inventory_list(
            info, "Customer.coupons", self.key, lambda i: i.coupons, Coupon.from_talon
        )

    @strawberry.field(description=f"Referral codes the customer hands out to friends. {_NOT_KNOWN}")
    async def referrals(self, info: Info) -> list[Referral] | None:
        return await _inventory_list(
            info, "Customer.referrals", self.key, lambda i: i.referrals, Referral.from_talon
        )

    @strawberry.field(
        description=(
            "The customer's points in the promotion engine's loyalty programs (the loyalty "
            f"system's points are `pointsBalance`). {_NOT_KNOWN}"
        )
    )
    async def promotion_loyalty(self, info: Info) -> PromotionLoyalty | None:
        found = await field_read(info.context, INVENTORY, "Customer.promotionLoyalty", self.key)
        if found is None:
            return None
        return PromotionLoyalty.from_talon(found.loyalty or Loyalty(programs={}))

    @strawberry.field(
        description=(
            "The newest rows of the customer's ledger in one promotion loyalty program, "
            "newest first. Null when the promotion engine has no profile for the customer "
            "or no such program."
        )
    )
    async def promotion_loyalty_transactions(
        self,
        info: Info,
        program_id: Annotated[
            int, strawberry.argument(description="The program's id (`promotionLoyalty`).")
        ],
        first: Annotated[
            int, strawberry.argument(description="How many rows, newest first (1 to 100).")
        ] = LEDGER_DEFAULT_FIRST,
    ) -> list[PromotionLoyaltyTransaction] | None:
        args = {"programId": program_id, "first": first}
        field = "Customer.promotionLoyaltyTransactions"
        found = await field_read(info.context, LOYALTY_TRANSACTIONS, field, self.key, args)
        if found is None:
            return None
        return [PromotionLoyaltyTransaction.from_talon(t) for t in found.data]

    @strawberry.field(
        description=f"Giveaway codes (e.g. gift cards) awarded to the customer. {_NOT_KNOWN}"
    )
    async def giveaways(self, info: Info) -> list[Giveaway] | None:
        return await _inventory_list(
            info, "Customer.giveaways", self.key, lambda i: i.giveaways, Giveaway.from_talon
        )

    @strawberry.field(
        description=(
            "The customer's loyalty segments and promotion audiences in one list (loyalty "
            "first). When one system fails, the other's segments still arrive and the failed "
            "system shows as one null entry at the end, with an error (naming the vendor) "
            "whose path points at it."
        ),
        graphql_type=list[Segment | None],
    )
    async def segments(
        self,
        info: Info,
        sources: Annotated[
            list[SegmentSource] | None,
            strawberry.argument(description="Only segments of these systems (default: all)."),
        ] = None,
    ) -> list[object]:
        return await customer_segments(info.context, self.key, sources)

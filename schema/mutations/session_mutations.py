"""Cart sessions (Talon.One): update a cart (or try it out) and return items."""

from __future__ import annotations

from typing import Annotated

import strawberry

from gateway.errors import NotFoundError
from resolvers.writes.cart import return_cart_items, update_cart_session
from resolvers.writes.validation import check_non_empty
from schema.cart import CartSession
from schema.cart_effects import PromotionEffect, promotion_effect
from schema.info import Info
from schema.mutations.cart_inputs import (
    ReturnedCartItemInput,
    UpdateCartSessionInput,
    returned_items,
)
from schema.mutations.declare import mutation, payload
from schema.permissions import CanManagePromotions
from vendors.talon.models import IntegrationStateV2

__all__ = ["ReturnCartItemsPayload", "SessionMutation", "UpdateCartSessionPayload"]

SessionIdArg = Annotated[
    strawberry.ID,
    strawberry.argument(description="The cart session's id (yours; a new id starts a session)."),
]
DryRunArg = Annotated[
    bool,
    strawberry.argument(
        description="Evaluate only: the answer is as if the change were made, but nothing is "
        "stored."
    ),
]


@payload
class UpdateCartSessionPayload:
    session: CartSession = strawberry.field(
        description="The session after the change (as it would be, on a dry run)."
    )
    effects: list[PromotionEffect] = strawberry.field(
        description="What the promotion rules did: discounts, accepted or rejected codes, "
        "points, free items, notifications."
    )
    created_coupon_codes: list[str] = strawberry.field(
        description="Coupon codes the rules created for the customer."
    )
    created_referral_codes: list[str] = strawberry.field(
        description="Referral codes the rules created."
    )
    dry_run: bool = strawberry.field(description="True when nothing was stored.")


@payload
class ReturnCartItemsPayload:
    session: CartSession = strawberry.field(
        description="The session after the return (state PARTIALLY_RETURNED)."
    )
    effects: list[PromotionEffect] = strawberry.field(
        description="What the return undid: rollbacks of discounts, codes and points."
    )
    return_id: strawberry.ID | None = strawberry.field(
        description="The promotion engine's id of the return; null on a dry run."
    )
    dry_run: bool = strawberry.field(description="True when nothing was stored.")


def _session(state: IntegrationStateV2, effects_in_force: bool) -> CartSession:
    if state.customer_session is None:  # asked for with responseContent
        raise NotFoundError("The promotion engine returned no session.")
    return CartSession.from_talon(
        state.customer_session, state.effects if effects_in_force else None
    )


@strawberry.type
class SessionMutation:
    @mutation(
        CanManagePromotions,
        description=(
            "Create or change a cart session: items, coupon and referral codes, costs, state. "
            "Returns the session and the promotion rules' effects. Talon.One handles one "
            "request per session at a time: an overlapping one is a retryable CONFLICT."
        ),
    )
    async def update_cart_session(
        self,
        info: Info,
        id: SessionIdArg,
        input: Annotated[UpdateCartSessionInput, strawberry.argument(description="The changes.")],
        dry_run: DryRunArg = False,
    ) -> UpdateCartSessionPayload:
        session_id = check_non_empty(str(id), "id", most=1000)
        body = input.to_talon("input")
        state = await update_cart_session(info.context, session_id, body, dry=dry_run)
        return UpdateCartSessionPayload(
            session=_session(state, effects_in_force=True),
            effects=[promotion_effect(e) for e in state.effects],
            created_coupon_codes=[c.value for c in state.created_coupons],
            created_referral_codes=[r.code for r in state.created_referrals],
            dry_run=dry_run,
        )

    @mutation(
        CanManagePromotions,
        description=(
            "Return items of a closed (or partly returned) session: the effects tied to them "
            "are rolled back and the session becomes PARTIALLY_RETURNED."
        ),
    )
    async def return_cart_items(
        self,
        info: Info,
        session_id: SessionIdArg,
        items: Annotated[
            list[ReturnedCartItemInput],
            strawberry.argument(description="The lines to return (at least one)."),
        ],
        dry_run: DryRunArg = False,
    ) -> ReturnCartItemsPayload:
        returned = returned_items(items, "items")
        state = await return_cart_items(info.context, str(session_id), returned, dry=dry_run)
        ret = state.return_
        return ReturnCartItemsPayload(
            session=_session(state, effects_in_force=False),
            effects=[promotion_effect(e) for e in state.effects],
            return_id=strawberry.ID(str(ret.id)) if ret is not None and not dry_run else None,
            dry_run=dry_run,
        )

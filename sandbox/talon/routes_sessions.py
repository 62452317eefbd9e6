"""Customer session endpoints (v2): update, read, return cart items."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

from sandbox.talon.context import TalonContext, get_app_data, get_context
from sandbox.talon.models import IntegrationRequest, NewCustomerSessionV2, ReturnIntegrationRequest
from sandbox.talon.responses import state_v2
from sandbox.talon.routing import TalonRoute
from sandbox.talon.sessions import SessionChange, find_session, return_cart_items, update_session
from sandbox.talon.store import AppData, Tx
from sandbox.talon.wire import session_json

router = APIRouter(route_class=TalonRoute, tags=["customer sessions"])


def change_from_v2(cs: NewCustomerSessionV2) -> SessionChange:
    return SessionChange(
        sent=set(cs.model_fields_set),
        profile_id=cs.profileId,
        coupon_codes=cs.couponCodes,
        referral_code=cs.referralCode,
        loyalty_cards=cs.loyaltyCards,
        state=cs.state,
        cart_items=cs.cartItems,
        additional_costs=cs.additionalCosts,
        identifiers=cs.identifiers,
        attributes=cs.attributes,
        pointer="/customerSession",
    )


@router.put(
    "/v2/customer_sessions/{customerSessionId}",
    operation_id="updateCustomerSessionV2",
    summary="Update customer session",
)
async def update_customer_session_v2(
    customerSessionId: str,
    body: IntegrationRequest,
    dry: bool | None = None,
    ctx: TalonContext = Depends(get_context),
    app: AppData = Depends(get_app_data),
) -> JSONResponse:
    change = change_from_v2(body.customerSession)
    async with ctx.locked(app, "session", customerSessionId):
        res = update_session(ctx, app, customerSessionId, change, dry=bool(dry))
        return JSONResponse(state_v2(res, body.responseContent, ctx.options))


@router.get(
    "/v2/customer_sessions/{customerSessionId}",
    operation_id="getCustomerSession",
    summary="Get customer session",
)
async def get_customer_session(
    customerSessionId: str,
    ctx: TalonContext = Depends(get_context),
    app: AppData = Depends(get_app_data),
) -> dict[str, Any]:
    tx = Tx(ctx.store, app, dry=True)
    session = find_session(ctx, tx, customerSessionId, for_update=False)
    return {"customerSession": session_json(session, ctx.options), "effects": session.effects}


@router.post(
    "/v2/customer_sessions/{customerSessionId}/returns",
    operation_id="returnCartItems",
    summary="Return cart items",
)
async def return_cart_items_route(
    customerSessionId: str,
    body: ReturnIntegrationRequest,
    dry: bool | None = None,
    ctx: TalonContext = Depends(get_context),
    app: AppData = Depends(get_app_data),
) -> JSONResponse:
    async with ctx.locked(app, "session", customerSessionId):
        res = return_cart_items(ctx, app, customerSessionId, body.return_, dry=bool(dry))
        return JSONResponse(state_v2(res, body.responseContent, ctx.options))

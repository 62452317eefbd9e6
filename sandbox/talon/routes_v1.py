"""Legacy v1 profile and session updates (2020 spec), answering the v1 ``IntegrationState``."""

from __future__ import annotations

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

from sandbox.talon.context import TalonContext, get_app_data, get_context
from sandbox.talon.models import NewCustomerProfile, NewCustomerSession
from sandbox.talon.profiles import check_profile_attributes, update_profile
from sandbox.talon.responses import state_v1
from sandbox.talon.routing import TalonRoute
from sandbox.talon.sessions import SessionChange, update_session
from sandbox.talon.store import AppData

router = APIRouter(route_class=TalonRoute, tags=["v1 (legacy)"])


@router.put(
    "/v1/customer_profiles/{integrationId}",
    operation_id="updateCustomerProfile",
    summary="Update a Customer Profile (v1)",
)
async def update_customer_profile_v1(
    integrationId: str,
    body: NewCustomerProfile,
    dry: bool | None = None,
    ctx: TalonContext = Depends(get_context),
    app: AppData = Depends(get_app_data),
) -> JSONResponse:
    check_profile_attributes(ctx, app, body.attributes, "/attributes")
    async with ctx.locked(app, "profile", integrationId):
        res = update_profile(
            ctx,
            app,
            integrationId,
            attributes=body.attributes,
            audiences=None,
            run_rules=True,
            dry=bool(dry),
        )
        return JSONResponse(state_v1(res, ctx.options))


@router.put(
    "/v1/customer_sessions/{customerSessionId}",
    operation_id="updateCustomerSession",
    summary="Update a Customer Session (v1)",
)
async def update_customer_session_v1(
    customerSessionId: str,
    body: NewCustomerSession,
    dry: bool | None = None,
    ctx: TalonContext = Depends(get_context),
    app: AppData = Depends(get_app_data),
) -> JSONResponse:
    sent = set(body.model_fields_set)
    if "coupon" in sent:
        sent.add("couponCodes")
    if "referral" in sent:
        sent.add("referralCode")
    change = SessionChange(
        sent=sent,
        profile_id=body.profileId,
        coupon_codes=[body.coupon] if body.coupon else [],
        referral_code=body.referral or "",
        state=body.state,
        cart_items=body.cartItems,
        identifiers=body.identifiers,
        attributes=body.attributes,
        pointer="",
    )
    async with ctx.locked(app, "session", customerSessionId):
        res = update_session(ctx, app, customerSessionId, change, dry=bool(dry))
        return JSONResponse(state_v1(res, ctx.options))

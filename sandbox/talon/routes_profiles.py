"""Customer profile endpoints: update one / many, inventory, loyalty transaction log,
personal data deletion."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Response
from fastapi.responses import JSONResponse
from pydantic import AwareDatetime

from sandbox.talon.context import TalonContext, get_app_data, get_context
from sandbox.talon.errors import bad_request
from sandbox.talon.inventory import customer_inventory
from sandbox.talon.ledger_log import loyalty_transactions
from sandbox.talon.models import (
    CustomerProfileIntegrationRequestV2,
    MultipleCustomerProfileIntegrationRequest,
)
from sandbox.talon.profiles import (
    check_profile_attributes,
    delete_customer_data,
    merge_attributes,
    update_profile,
)
from sandbox.talon.responses import state_v2
from sandbox.talon.routing import TalonRoute
from sandbox.talon.sessions import ensure_profile
from sandbox.talon.store import AppData, Tx
from sandbox.talon.wire import profile_json

router = APIRouter(route_class=TalonRoute, tags=["customer profiles"])


def check_silent(silent: str) -> bool:
    """``silent`` is the string ``yes`` (default: 204, no body) or ``no``."""
    if silent not in ("yes", "no"):
        raise bad_request("enum", "silent must be 'yes' or 'no'.", parameter="silent")
    return silent == "yes"


@router.put(
    "/v2/customer_profiles/{integrationId}",
    operation_id="updateCustomerProfileV2",
    summary="Update customer profile",
)
async def update_customer_profile_v2(
    integrationId: str,
    body: CustomerProfileIntegrationRequestV2,
    runRuleEngine: bool = False,
    dry: bool | None = None,
    ctx: TalonContext = Depends(get_context),
    app: AppData = Depends(get_app_data),
) -> JSONResponse:
    content = list(body.responseContent)
    if content and not runRuleEngine:
        policy = ctx.options.response_content_without_rule_engine
        if policy == "reject":
            raise bad_request(
                "Invalid value",
                "responseContent cannot be used when runRuleEngine is false.",
                pointer="/responseContent",
            )
        if policy == "ignore":
            content = []
    check_profile_attributes(ctx, app, body.attributes, "/attributes")
    async with ctx.locked(app, "profile", integrationId):
        res = update_profile(
            ctx,
            app,
            integrationId,
            attributes=body.attributes,
            audiences=body.audiencesChanges,
            run_rules=runRuleEngine,
            dry=bool(dry),
        )
        return JSONResponse(state_v2(res, content, ctx.options))


@router.put(
    "/v2/customer_profiles",
    operation_id="updateCustomerProfilesV2",
    summary="Update multiple customer profiles",
)
async def update_customer_profiles_v2(
    body: MultipleCustomerProfileIntegrationRequest,
    silent: str = "yes",
    ctx: TalonContext = Depends(get_context),
    app: AppData = Depends(get_app_data),
) -> Response:
    quiet = check_silent(silent)
    items = body.customerProfiles or []
    for i, item in enumerate(items):
        check_profile_attributes(ctx, app, item.attributes, f"/customerProfiles/{i}/attributes")
    tx = Tx(ctx.store, app, dry=False)
    profiles = []
    for item in items:
        profile, _ = ensure_profile(tx, item.integrationId)
        if item.attributes:
            merge_attributes(profile, item.attributes)
        profiles.append(profile)
    tx.commit()
    if quiet:
        return Response(status_code=204)
    states: list[dict[str, Any]] = [
        {
            "customerProfile": profile_json(p, tx),
            "effects": [],
            "createdCoupons": [],
            "createdReferrals": [],
        }
        for p in profiles
    ]
    return JSONResponse({"integrationStates": states})


@router.get(
    "/v1/customer_profiles/{integrationId}/inventory",
    operation_id="getCustomerInventory",
    summary="List customer data",
)
async def get_customer_inventory(
    integrationId: str,
    profile: bool = False,
    referrals: bool = False,
    coupons: bool = False,
    loyalty: bool = False,
    giveaways: bool = False,
    loyaltyProjectionEndDate: AwareDatetime | None = None,
    ctx: TalonContext = Depends(get_context),
    app: AppData = Depends(get_app_data),
) -> dict[str, Any]:
    tx = Tx(ctx.store, app, dry=True)
    return customer_inventory(
        tx,
        integrationId,
        profile=profile,
        referrals=referrals,
        coupons=coupons,
        loyalty=loyalty,
        giveaways=giveaways,
        projection_end=loyaltyProjectionEndDate,
    )


@router.get(
    "/v1/loyalty_programs/{loyaltyProgramId}/profile/{integrationId}/transactions",
    operation_id="getLoyaltyTransactions",
    summary="Get loyalty ledger transaction logs",
)
async def get_loyalty_transactions(
    loyaltyProgramId: int,
    integrationId: str,
    startDate: AwareDatetime | None = None,
    endDate: AwareDatetime | None = None,
    pageSize: int | None = None,
    skip: int | None = None,
    ctx: TalonContext = Depends(get_context),
    app: AppData = Depends(get_app_data),
) -> dict[str, Any]:
    tx = Tx(ctx.store, app, dry=True)
    return loyalty_transactions(
        tx,
        loyaltyProgramId,
        integrationId,
        start=startDate,
        end=endDate,
        page_size=pageSize,
        skip=skip,
    )


@router.delete(
    "/v1/customer_data/{integrationId}",
    operation_id="deleteCustomerData",
    summary="Delete customer's personal data",
    status_code=204,
)
async def delete_customer_data_route(
    integrationId: str,
    ctx: TalonContext = Depends(get_context),
    app: AppData = Depends(get_app_data),
) -> Response:
    async with ctx.locked(app, "profile", integrationId):
        delete_customer_data(ctx, app, integrationId)
    return Response(status_code=204)

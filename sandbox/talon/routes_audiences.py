"""Audiences of the account and their memberships (docs/vendors/talon.md §5.16)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body, Depends, Response
from fastapi.responses import JSONResponse

from sandbox.talon.context import TalonContext, get_app_data, get_context
from sandbox.talon.entities import Audience
from sandbox.talon.errors import TalonError, api_error, not_found
from sandbox.talon.models import CustomerProfileAudienceRequest, NewAudience, UpdateAudience
from sandbox.talon.profiles import check_profile_attributes, merge_attributes
from sandbox.talon.routing import TalonRoute
from sandbox.talon.sessions import ensure_profile
from sandbox.talon.store import AppData, Tx
from sandbox.talon.wire import audience_json

router = APIRouter(route_class=TalonRoute, tags=["audiences"])


def _audience(tx: Tx, audience_id: int) -> Audience:
    audience = tx.audience(audience_id)
    if audience is None:
        raise not_found(f"Audience {audience_id} does not exist.", resource="audience")
    return audience


def _members(tx: Tx, audience_id: int) -> list[str]:
    return [p.integration_id for p in tx.app.profiles.values() if audience_id in p.audience_ids]


@router.post(
    "/v2/audiences", operation_id="createAudienceV2", summary="Create audience", status_code=201
)
async def create_audience_v2(
    body: NewAudience,
    ctx: TalonContext = Depends(get_context),
    app: AppData = Depends(get_app_data),
) -> JSONResponse:
    if body.integrationId is not None:
        for existing in app.account.audiences.values():
            if (existing.integration or "") == (body.integration or "") and (
                existing.integration_id == body.integrationId
            ):
                raise TalonError(
                    409,
                    "An audience with this integrationId already exists for this integration.",
                    [
                        api_error(
                            "Conflict",
                            f"Audience {existing.id} already has integrationId "
                            f"{body.integrationId!r}.",
                            pointer="/integrationId",
                        )
                    ],
                    kind="with_status",
                )
    tx = Tx(ctx.store, app, dry=False)
    audience = Audience(
        id=tx.new_id("audience"),
        account_id=app.account.id,
        created=tx.now,
        name=body.name,
        description=body.description,
        integration=body.integration,
        integration_id=body.integrationId,
        created_in_3rd_party=body.createdIn3rdParty,
        sandbox=bool(body.sandbox),
        last_update=tx.now,
    )
    tx.put_audience(audience)
    tx.commit()
    return JSONResponse(audience_json(audience), status_code=201)


@router.put(
    "/v2/audiences/{audienceId}", operation_id="updateAudienceV2", summary="Update audience name"
)
async def update_audience_v2(
    audienceId: int,
    body: UpdateAudience,
    ctx: TalonContext = Depends(get_context),
    app: AppData = Depends(get_app_data),
) -> dict[str, Any]:
    tx = Tx(ctx.store, app, dry=False)
    audience = _audience(tx, audienceId)
    audience.name = body.name
    tx.commit()
    return audience_json(audience)


@router.delete(
    "/v2/audiences/{audienceId}",
    operation_id="deleteAudienceV2",
    summary="Delete audience",
    status_code=204,
)
async def delete_audience_v2(
    audienceId: int,
    ctx: TalonContext = Depends(get_context),
    app: AppData = Depends(get_app_data),
) -> Response:
    tx = Tx(ctx.store, app, dry=False)
    _audience(tx, audienceId)
    for integration_id in _members(tx, audienceId):
        profile = tx.profile_for_update(integration_id)
        assert profile is not None
        profile.audience_ids.remove(audienceId)
    tx.delete_audience(audienceId)
    tx.commit()
    return Response(status_code=204)


@router.delete(
    "/v2/audiences/{audienceId}/memberships",
    operation_id="deleteAudienceMembershipsV2",
    summary="Delete audience memberships",
    status_code=204,
)
async def delete_audience_memberships_v2(
    audienceId: int,
    ctx: TalonContext = Depends(get_context),
    app: AppData = Depends(get_app_data),
) -> Response:
    tx = Tx(ctx.store, app, dry=False)
    audience = _audience(tx, audienceId)
    for integration_id in _members(tx, audienceId):
        profile = tx.profile_for_update(integration_id)
        assert profile is not None
        profile.audience_ids.remove(audienceId)
    audience.last_update = tx.now
    tx.commit()
    return Response(status_code=204)


@router.put(
    "/v2/audience_customers/{audienceId}/attributes",
    operation_id="updateAudienceCustomersAttributes",
    summary="Update profile attributes for all customers in audience",
    status_code=204,
)
async def update_audience_customers_attributes(
    audienceId: int,
    body: dict[str, Any] = Body(...),
    ctx: TalonContext = Depends(get_context),
    app: AppData = Depends(get_app_data),
) -> Response:
    tx = Tx(ctx.store, app, dry=False)
    _audience(tx, audienceId)
    check_profile_attributes(ctx, app, body, "")
    for integration_id in _members(tx, audienceId):
        profile = tx.profile_for_update(integration_id)
        assert profile is not None
        merge_attributes(profile, body)
    tx.commit()
    return Response(status_code=204)


@router.post(
    "/v2/customer_audiences",
    operation_id="updateCustomerProfileAudiences",
    summary="Update multiple customer profiles' audiences",
    status_code=204,
)
async def update_customer_profile_audiences(
    body: CustomerProfileAudienceRequest,
    ctx: TalonContext = Depends(get_context),
    app: AppData = Depends(get_app_data),
) -> Response:
    tx = Tx(ctx.store, app, dry=False)
    items = body.data or []
    for item in items:
        _audience(tx, item.audienceId)
    touched: set[int] = set()
    for item in items:
        if item.action == "add":
            profile, _ = ensure_profile(tx, item.profileIntegrationId)
            if item.audienceId not in profile.audience_ids:
                profile.audience_ids.append(item.audienceId)
        else:
            existing = tx.profile_for_update(item.profileIntegrationId)
            if existing is None:
                continue
            if item.audienceId in existing.audience_ids:
                existing.audience_ids.remove(item.audienceId)
        touched.add(item.audienceId)
    for audience_id in touched:
        audience = tx.audience(audience_id)
        if audience is not None:
            audience.last_update = tx.now
    tx.commit()
    return Response(status_code=204)

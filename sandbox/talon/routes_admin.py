"""Talon-specific admin routes under ``/_sandbox/talon`` (not counted, not faulted, no auth).

- ``GET/PUT /_sandbox/talon/settings``: the sandbox options (PUT merges the fields sent),
  e.g. ``{"processing_delay_ms": 200}`` to make overlapping requests reproducible;
- ``GET /_sandbox/talon/tenants``: ids and credentials of every Application;
- ``GET/PUT /_sandbox/talon/campaigns/{applicationId}``: the campaigns the rule engine runs;
- ``GET/PUT /_sandbox/talon/definitions/{applicationId}``: defined attributes and event types.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, HTTPException
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError

from sandbox.talon.attributes import AttrType
from sandbox.talon.campaigns import CampaignSpec, campaign_ids
from sandbox.talon.context import TalonContext, get_context
from sandbox.talon.demo_data import FIXED_COUPONS
from sandbox.talon.options import TalonSandboxOptions
from sandbox.talon.store import AppData

router = APIRouter(prefix="/_sandbox/talon", tags=["sandbox admin (Talon.One)"])


class Definitions(BaseModel):
    attributes: dict[str, dict[str, AttrType]]
    eventTypes: list[str]


def _app(ctx: TalonContext, application_id: int) -> AppData:
    app = ctx.store.apps.get(application_id)
    if app is None:
        raise HTTPException(404, f"no Application {application_id}")
    return app


@router.get("/settings")
async def get_settings(ctx: TalonContext = Depends(get_context)) -> TalonSandboxOptions:
    return ctx.options


@router.put("/settings")
async def put_settings(
    changes: dict[str, Any], ctx: TalonContext = Depends(get_context)
) -> TalonSandboxOptions:
    try:
        ctx.options = TalonSandboxOptions.model_validate({**ctx.options.model_dump(), **changes})
    except ValidationError as exc:
        raise RequestValidationError(
            [{**e, "loc": ("body", *e["loc"])} for e in exc.errors()]
        ) from None
    return ctx.options


@router.get("/tenants")
async def get_tenants(ctx: TalonContext = Depends(get_context)) -> list[dict[str, Any]]:
    return [
        {
            "tenant": app.tenant_key,
            "accountId": app.account.id,
            "applicationId": app.id,
            "apiKey": app.api_key,
            "managementToken": app.account.management_token,
            "loyaltyProgramIds": sorted(app.programs),
            "giveawayPoolIds": sorted(app.pools),
            "campaignIds": campaign_ids(app.id).model_dump(),
            "fixedCoupons": FIXED_COUPONS,
            "audienceIds": sorted(app.account.audiences),
        }
        for app in ctx.store.apps.values()
    ]


@router.get("/campaigns/{applicationId}")
async def get_campaigns(
    applicationId: int, ctx: TalonContext = Depends(get_context)
) -> list[CampaignSpec]:
    return _app(ctx, applicationId).campaigns


@router.put("/campaigns/{applicationId}")
async def put_campaigns(
    applicationId: int, campaigns: list[CampaignSpec], ctx: TalonContext = Depends(get_context)
) -> list[CampaignSpec]:
    app = _app(ctx, applicationId)
    app.campaigns = campaigns
    return app.campaigns


@router.get("/definitions/{applicationId}")
async def get_definitions(
    applicationId: int, ctx: TalonContext = Depends(get_context)
) -> Definitions:
    app = _app(ctx, applicationId)
    return Definitions(attributes=app.attributes.definitions, eventTypes=sorted(app.event_types))


@router.put("/definitions/{applicationId}")
async def put_definitions(
    applicationId: int, body: Definitions, ctx: TalonContext = Depends(get_context)
) -> Definitions:
    app = _app(ctx, applicationId)
    app.attributes.definitions = body.attributes
    app.event_types = set(body.eventTypes)
    return body

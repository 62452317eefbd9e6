"""Custom events: ``POST /v2/events`` and the deprecated v1 ``POST /v1/events``."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Response
from fastapi.responses import JSONResponse

from sandbox.talon.context import TalonContext, get_app_data, get_context
from sandbox.talon.errors import bad_request
from sandbox.talon.models import IntegrationEventV2Request, NewEvent
from sandbox.talon.profiles import track_event
from sandbox.talon.responses import state_v1, state_v2
from sandbox.talon.routes_profiles import check_silent
from sandbox.talon.routing import TalonRoute
from sandbox.talon.store import AppData

router = APIRouter(route_class=TalonRoute, tags=["events"])


def check_event_type(ctx: TalonContext, app: AppData, event_type: str) -> None:
    if event_type.startswith("talon_"):
        raise bad_request("Reserved", f'"{event_type}" is a reserved event type.', pointer="/type")
    if ctx.options.reject_undefined_event_types and event_type not in app.event_types:
        raise bad_request(
            "Unknown",
            f'The event type "{event_type}" is not defined for this Application.',
            pointer="/type",
        )


@router.post("/v2/events", operation_id="trackEventV2", summary="Track event V2")
async def track_event_v2(
    body: IntegrationEventV2Request,
    silent: str = "yes",
    dry: bool | None = None,
    ctx: TalonContext = Depends(get_context),
    app: AppData = Depends(get_app_data),
) -> Response:
    quiet = check_silent(silent)
    if not body.profileId:
        raise bad_request(
            "required", "profileId is required for custom events.", pointer="/profileId"
        )
    check_event_type(ctx, app, body.type)
    async with ctx.locked(app, "profile", body.profileId):
        res = track_event(
            ctx,
            app,
            profile_id=body.profileId,
            event_type=body.type,
            attributes=body.attributes or {},
            session_id=None,
            dry=bool(dry),
        )
        if quiet:
            return Response(status_code=204)
        return JSONResponse(state_v2(res, body.responseContent, ctx.options))


@router.post("/v1/events", operation_id="trackEvent", summary="Track event", status_code=201)
async def track_event_v1(
    body: NewEvent,
    dry: bool | None = None,
    ctx: TalonContext = Depends(get_context),
    app: AppData = Depends(get_app_data),
) -> JSONResponse:
    check_event_type(ctx, app, body.type)
    profile_id = body.profileId or ""
    kind, key = ("profile", profile_id) if profile_id else ("session", body.sessionId)
    async with ctx.locked(app, kind, key):
        res = track_event(
            ctx,
            app,
            profile_id=profile_id,
            event_type=body.type,
            attributes=body.attributes,
            session_id=body.sessionId,
            dry=bool(dry),
        )
        return JSONResponse(state_v1(res, ctx.options), status_code=201)

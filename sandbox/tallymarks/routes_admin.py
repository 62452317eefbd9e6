"""Sandbox-only admin routes under ``/_sandbox/tallymarks`` (not counted, not faulted).

- ``GET/POST /segments``: the segment catalogue of a tenant (console-defined in reality);
- ``GET/PUT /rules``: the tenant's assessment rules;
- ``POST /flush``: assess queued events (``processing=deferred``);
- ``POST /expire``: run points expiry;
- ``GET /events/{eventId}``: one stored event in full (e.g. an error event's errorAction).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from sandbox.tallymarks import engine
from sandbox.tallymarks.dates import add_years, to_utc_ms
from sandbox.tallymarks.errors import invalid, not_found
from sandbox.tallymarks.options import TallymarksSandboxOptions
from sandbox.tallymarks.points_expiry import expire_points
from sandbox.tallymarks.records import Segment
from sandbox.tallymarks.rules import Rule
from sandbox.tallymarks.schemas_out import Instant
from sandbox.tallymarks.segments import MAX_YEARS, period_within_limit
from sandbox.tallymarks.store import TallymarksStore, TenantData

router = APIRouter(prefix="/_sandbox/tallymarks", tags=["sandbox admin (tallymarks)"])

ExpiryMode = Literal[
    "None",
    "UntilAnniversaryDate",
    "UntilAnniversaryDatePlusOneYear",
    "SpecifiedPeriod",
    "SpecifiedDate",
]


class SegmentDefinition(BaseModel):
    """A catalogue entry; ``segmentId`` is generated when left out."""

    segmentId: str | None = None
    name: str = Field(min_length=1)
    displayName: str | None = None
    description: str = ""
    status: Literal["Configure", "Test", "Active", "Inactive", "Archived"] = "Active"
    expiryMode: ExpiryMode = "None"
    periodValue: int | None = Field(default=None, gt=0)
    periodUnit: Literal["days", "months", "years"] | None = None
    expiryDate: Instant | None = None

    @classmethod
    def of(cls, s: Segment) -> SegmentDefinition:
        return cls.model_validate(
            {
                "segmentId": s.segment_id,
                "name": s.name,
                "displayName": s.display_name,
                "description": s.description,
                "status": s.status,
                "expiryMode": s.expiry_mode,
                "periodValue": s.period_value,
                "periodUnit": s.period_unit,
                "expiryDate": s.expiry_date,
            }
        )


class ExpireRequest(BaseModel):
    asOf: datetime | None = Field(default=None, description="defaults to the sandbox clock")
    mode: Literal["aging", "activity"] | None = None
    periodMonths: int | None = Field(default=None, ge=12, le=60)


def _tenant(request: Request, tenant_id: str) -> tuple[TallymarksStore, TenantData]:
    store: TallymarksStore = request.app.state.store
    tenant = store.tenant(tenant_id)
    if tenant is None:
        raise not_found(request.url.path)
    return store, tenant


@router.get("/segments")
async def list_segments(request: Request, tenantId: str) -> list[SegmentDefinition]:
    store, tenant = _tenant(request, tenantId)
    with store.lock:
        return [SegmentDefinition.of(s) for s in tenant.segments.values()]


@router.post("/segments")
async def add_segment(
    request: Request, tenantId: str, body: SegmentDefinition
) -> SegmentDefinition:
    store, tenant = _tenant(request, tenantId)
    if body.expiryMode == "SpecifiedPeriod":
        if body.periodValue is None or body.periodUnit is None:
            raise invalid("periodValue", "SpecifiedPeriod needs periodValue and periodUnit.")
        if not period_within_limit(body.periodValue, body.periodUnit):
            raise invalid("periodValue", f"The period must not exceed {MAX_YEARS} years.")
    expiry_date = to_utc_ms(body.expiryDate) if body.expiryDate else None
    if body.expiryMode == "SpecifiedDate":
        now = store.now()
        if expiry_date is None or expiry_date > add_years(now, MAX_YEARS):
            raise invalid("expiryDate", f"The date must be set and within {MAX_YEARS} years.")
    segment = Segment(
        segment_id=str(uuid.UUID(body.segmentId)) if body.segmentId else str(uuid.uuid4()),
        tenant_id=tenant.tenant_id,
        name=body.name,
        display_name=body.displayName or body.name,
        description=body.description,
        status=body.status,
        expiry_mode=body.expiryMode,
        period_value=body.periodValue,
        period_unit=body.periodUnit,
        expiry_date=expiry_date,
    )
    with store.lock:
        tenant.segments[segment.segment_id] = segment
    return SegmentDefinition.of(segment)


@router.get("/rules")
async def list_rules(request: Request, tenantId: str) -> list[Rule]:
    store, tenant = _tenant(request, tenantId)
    with store.lock:
        return list(tenant.rules)


@router.put("/rules")
async def replace_rules(request: Request, tenantId: str, rules: list[Rule]) -> list[Rule]:
    store, tenant = _tenant(request, tenantId)
    with store.lock:
        tenant.rules = list(rules)
        return list(tenant.rules)


@router.post("/flush")
async def flush(request: Request) -> dict[str, int]:
    """Assess every queued event, in the order received."""
    store: TallymarksStore = request.app.state.store
    processed = written = 0
    with store.lock:
        for tenant in store.tenants.values():
            while tenant.queue:
                event = tenant.events[tenant.queue.popleft()]
                written += engine.process(tenant, event)
                processed += 1
    return {"processed": processed, "transactionsWritten": written}


@router.post("/expire")
async def expire(request: Request, tenantId: str, body: ExpireRequest) -> dict[str, Any]:
    store, tenant = _tenant(request, tenantId)
    options: TallymarksSandboxOptions = request.app.state.options
    as_of = to_utc_ms(body.asOf) if body.asOf else store.now()
    mode = body.mode or options.points_expiry_mode
    months = body.periodMonths or options.points_expiry_months
    with store.lock:
        result = expire_points(tenant, as_of, mode, months)
    return {"customers": result.customers, "pointsExpired": result.points, "mode": mode}


@router.get("/events/{eventId}")
async def get_event(request: Request, tenantId: str, eventId: str) -> dict[str, Any]:
    store, tenant = _tenant(request, tenantId)
    with store.lock:
        event = tenant.events.get(eventId.lower())
        if event is None:
            raise not_found(request.url.path)
        return event.as_json()

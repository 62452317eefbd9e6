"""Customer API: segment memberships (docs/vendors/tallymarks.md §7.8 to §7.10, §9.5)."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response

from sandbox.tallymarks.deps import JsonBody, Options, Store, Tenant, path_guid
from sandbox.tallymarks.errors import (
    MEMBERSHIP_NOT_FOUND,
    SEGMENT_NOT_ACTIVE,
    SEGMENT_NOT_FOUND,
    TallymarksError,
    customer_not_found,
    field_error,
)
from sandbox.tallymarks.memberships import CLOSED_STATUSES, add_membership, remove_membership
from sandbox.tallymarks.paging import effective_limit, page
from sandbox.tallymarks.records import Customer
from sandbox.tallymarks.schemas_in import SegmentAddIn
from sandbox.tallymarks.schemas_out import MembershipOut, SegmentPageOut
from sandbox.tallymarks.store import TenantData

router = APIRouter(prefix="/api/v1/customers/{customerId}/segments", tags=["Customer API"])


def _customer(tenant: TenantData, customer_id: str) -> Customer:
    customer = tenant.customers.get(customer_id)
    if customer is None:
        raise customer_not_found(customer_id)
    return customer


def _segment_error(status: int, code: str, message: str, segment_id: str) -> TallymarksError:
    return TallymarksError(
        status, code, message, message + ".", [field_error(message, "segmentId", segment_id)]
    )


@router.get("", summary="Search for Customer's Segments")
async def get_segments(
    customerId: str,
    request: Request,
    tenant: Tenant,
    options: Options,
    store: Store,
    limit: int | None = None,
    offsetKey: str | None = None,
) -> SegmentPageOut:
    customer_id = path_guid(customerId, "customerId", options, request.url.path)
    size = effective_limit(limit, options)
    with store.lock:
        _customer(tenant, customer_id)
        now = store.now()
        members = [
            m
            for m in tenant.memberships_of(customer_id).values()
            if m.active_at(now) or not options.hide_expired_memberships
        ]
    items, next_key = page(members, lambda m: (m.created_at, m.segment_id), size, offsetKey)
    return SegmentPageOut(
        segments=[MembershipOut.of(m, tenant.segments[m.segment_id]) for m in items],
        offsetKey=next_key,
    )


@router.put("", summary="Add Customer to Segment", dependencies=[JsonBody])
async def add_segment(
    customerId: str,
    body: SegmentAddIn,
    request: Request,
    tenant: Tenant,
    options: Options,
    store: Store,
) -> MembershipOut:
    customer_id = path_guid(customerId, "customerId", options, request.url.path)
    with store.lock:
        customer = _customer(tenant, customer_id)
        segment = tenant.segments.get(body.segmentId)
        if segment is None:
            status = options.unknown_segment_status
            raise _segment_error(status, SEGMENT_NOT_FOUND, "Segment Not Found", body.segmentId)
        if segment.status in CLOSED_STATUSES and options.refuse_inactive_segments:
            message = f"Segment Is {segment.status}"
            raise _segment_error(400, SEGMENT_NOT_ACTIVE, message, body.segmentId)
        membership = add_membership(
            tenant, customer, segment, store.now(), extend=options.readd_extends_expiry
        )
        return MembershipOut.of(membership, segment)


@router.delete(
    "/{segmentId}",
    summary="Delete Customer from Segment",
    # 200 with an empty body and no content type: the document must not promise JSON
    response_class=Response,
    responses={200: {"description": "Removed (an empty body)", "content": {}}},
)
async def remove_segment(
    customerId: str,
    segmentId: str,
    request: Request,
    tenant: Tenant,
    options: Options,
    store: Store,
) -> Response:
    """200 with an empty body; a membership that does not exist (or expired) → 404."""
    customer_id = path_guid(customerId, "customerId", options, request.url.path)
    segment_id = path_guid(segmentId, "segmentId", options, request.url.path)
    with store.lock:
        _customer(tenant, customer_id)
        if not remove_membership(tenant, customer_id, segment_id, store.now()):
            message = "Segment Membership Not Found"
            raise _segment_error(404, MEMBERSHIP_NOT_FOUND, message, segment_id)
    return Response(status_code=200)

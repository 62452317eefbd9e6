"""Coupon reservations: create (soft), delete, list the profiles holding a coupon
(docs/vendors/talon.md §5.13).

``{couponValue}`` is a path segment that may hold URL-encoded characters (``%2F`` too).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Response
from fastapi.responses import JSONResponse

from sandbox.talon.context import TalonContext, get_app_data, get_context
from sandbox.talon.entities import Coupon
from sandbox.talon.errors import not_found
from sandbox.talon.models import CouponReservations
from sandbox.talon.options import TalonSandboxOptions
from sandbox.talon.routing import TalonRoute
from sandbox.talon.sessions import ensure_profile
from sandbox.talon.store import AppData, Tx
from sandbox.talon.wire import coupon_json, profile_json

router = APIRouter(route_class=TalonRoute, tags=["coupons"])


def _coupon(tx: Tx, value: str) -> Coupon:
    coupon = tx.coupon_for_update(value)
    if coupon is None:
        raise not_found(f"Coupon {value!r} does not exist in this Application.", resource="coupon")
    return coupon


@router.post(
    "/v1/coupon_reservations/{couponValue:path}",
    operation_id="createCouponReservation",
    summary="Create coupon reservation",
    status_code=201,
)
async def create_coupon_reservation(
    couponValue: str,
    body: CouponReservations,
    ctx: TalonContext = Depends(get_context),
    app: AppData = Depends(get_app_data),
) -> JSONResponse:
    tx = Tx(ctx.store, app, dry=False)
    coupon = _coupon(tx, couponValue)
    for integration_id in body.integrationIDs:
        _holder(tx, ctx.options, integration_id)
    for integration_id in body.integrationIDs:
        if integration_id not in coupon.reserved_for:
            coupon.reserved_for.append(integration_id)
    tx.commit()
    return JSONResponse(coupon_json(coupon), status_code=201)


def _holder(tx: Tx, options: TalonSandboxOptions, integration_id: str) -> None:
    """A reservation needs a profile to show up in getReservedCustomers: create the unknown
    one, or refuse it (``reservation_for_unknown_profile``, docs/vendors/talon.md §5.13)."""
    if tx.profile(integration_id) is not None:
        return
    if options.reservation_for_unknown_profile == "reject":
        raise not_found(
            f"Customer profile {integration_id!r} does not exist.", resource="customerProfile"
        )
    ensure_profile(tx, integration_id)


@router.delete(
    "/v1/coupon_reservations/{couponValue:path}",
    operation_id="deleteCouponReservation",
    summary="Delete coupon reservations",
    status_code=204,
)
async def delete_coupon_reservation(
    couponValue: str,
    body: CouponReservations,
    ctx: TalonContext = Depends(get_context),
    app: AppData = Depends(get_app_data),
) -> Response:
    tx = Tx(ctx.store, app, dry=False)
    coupon = _coupon(tx, couponValue)
    removed = set(body.integrationIDs)
    coupon.reserved_for = [i for i in coupon.reserved_for if i not in removed]
    tx.commit()
    return Response(status_code=204)


@router.get(
    "/v1/coupon_reservations/customerprofiles/{couponValue:path}",
    operation_id="getReservedCustomers",
    summary="List customers that have this coupon reserved",
)
async def get_reserved_customers(
    couponValue: str,
    ctx: TalonContext = Depends(get_context),
    app: AppData = Depends(get_app_data),
) -> dict[str, Any]:
    tx = Tx(ctx.store, app, dry=True)
    coupon = tx.coupon(couponValue)
    if coupon is None:
        raise not_found(
            f"Coupon {couponValue!r} does not exist in this Application.", resource="coupon"
        )
    holders = list(coupon.reserved_for)
    if coupon.recipient_integration_id and coupon.recipient_integration_id not in holders:
        holders.insert(0, coupon.recipient_integration_id)
    profiles = [tx.profile(i) for i in holders]
    data = [profile_json(p, tx) for p in profiles if p is not None]
    return {"totalResultSize": len(data), "data": data}

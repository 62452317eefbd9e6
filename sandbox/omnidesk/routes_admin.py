"""Sandbox-only admin routes under ``/_sandbox/omnidesk`` (never counted, never faulted).

- ``GET /_sandbox/omnidesk/accounts``: every account with its brands and their flags;
- ``PATCH /_sandbox/omnidesk/brands/{brand_id}``: set a brand's ``crm_url`` or
  ``enable_customer_search_by_channels``;
- ``GET/POST/DELETE /_sandbox/omnidesk/crm``: the stub CRM's extra records.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict

from sandbox.omnidesk.crm import StubCrm
from sandbox.omnidesk.errors import OmnideskError
from sandbox.omnidesk.rules import BRAND_NOT_FOUND
from sandbox.omnidesk.store import Brand, OmnideskStore

router = APIRouter(prefix="/_sandbox/omnidesk", tags=["sandbox admin"])


class BrandView(BaseModel):
    brand_id: int
    brand_name: str
    enable_customer_search_by_channels: bool
    crm_url: str | None
    customers: int


class AccountView(BaseModel):
    account: str
    name: str
    brands: list[BrandView]


class BrandSettings(BaseModel):
    """Fields to change on a brand (omitted fields stay as they are)."""

    model_config = ConfigDict(extra="forbid")

    crm_url: str | None = None
    enable_customer_search_by_channels: bool | None = None


class CrmRecordIn(BaseModel):
    """A stub CRM record: found by ``email`` or ``phoneNumber`` in its brand."""

    model_config = ConfigDict(extra="allow")

    brand_id: int
    primaryID: str | None = None
    firstname: str | None = None
    lastname: str | None = None
    email: str | None = None
    phoneNumber: str | None = None


def _store(request: Request) -> OmnideskStore:
    store: OmnideskStore = request.app.state.store
    return store


def _brand_view(store: OmnideskStore, brand: Brand) -> BrandView:
    owner = store.brand_owner(brand.id)
    count = sum(1 for _ in owner.customers_in(brand.id)) if owner else 0
    return BrandView(
        brand_id=brand.id,
        brand_name=brand.name,
        enable_customer_search_by_channels=brand.enable_customer_search_by_channels,
        crm_url=brand.crm_url,
        customers=count,
    )


@router.get("/accounts")
async def list_accounts(request: Request) -> list[AccountView]:
    store = _store(request)
    with store.lock:
        return [
            AccountView(
                account=a.key,
                name=a.name,
                brands=[_brand_view(store, b) for b in a.brands.values()],
            )
            for a in store.accounts.values()
        ]


@router.patch("/brands/{brand_id}")
async def update_brand(brand_id: int, settings: BrandSettings, request: Request) -> BrandView:
    store = _store(request)
    with store.lock:
        owner = store.brand_owner(brand_id)
        if owner is None:
            raise OmnideskError(BRAND_NOT_FOUND, 404)
        brand = owner.brands[brand_id]
        for name, value in settings.model_dump(exclude_unset=True).items():
            setattr(brand, name, value)
        return _brand_view(store, brand)


@router.get("/crm")
async def list_crm_records(request: Request) -> list[dict[str, Any]]:
    crm: StubCrm = request.app.state.crm
    return crm.records


@router.post("/crm")
async def add_crm_record(record: CrmRecordIn, request: Request) -> dict[str, Any]:
    crm: StubCrm = request.app.state.crm
    data = record.model_dump(exclude_none=True)
    crm.add(data)
    return data


@router.delete("/crm")
async def clear_crm_records(request: Request) -> list[dict[str, Any]]:
    crm: StubCrm = request.app.state.crm
    crm.clear()
    return crm.records

"""Shared helpers of the Tallymarks sandbox tests (a small world, credentials, a clock)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from fastapi import FastAPI

from sandbox.common import VendorRuntime
from sandbox.demo_world import DemoTenant, demo_world
from sandbox.tallymarks import TallymarksSandboxOptions, create_app
from sandbox.tallymarks.store import TallymarksStore

WORLD = demo_world(7, 2, 25)
ACME, GLOBEX = WORLD.tenants
BASE_URL = "http://tallymarks.test"


def creds(tenant: DemoTenant) -> dict[str, str]:
    return {
        "x-tenant-id": tenant.tallymarks_tenant_id,
        "x-api-key": tenant.tallymarks_api_key,
        "x-api-secret": tenant.tallymarks_api_secret,
    }


def new_app(**options: Any) -> FastAPI:
    return create_app(
        WORLD, runtime=VendorRuntime("tallymarks"), options=TallymarksSandboxOptions(**options)
    )


@asynccontextmanager
async def client_for(app: FastAPI, tenant: DemoTenant = ACME) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url=BASE_URL, headers=creds(tenant)
    ) as client:
        yield client


def guid() -> str:
    return str(uuid.uuid4())


class FakeClock:
    """A settable clock for the store (``store.clock = FakeClock(...)``)."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


def set_clock(app: FastAPI, now: datetime) -> FakeClock:
    clock = FakeClock(now)
    store: TallymarksStore = app.state.store
    store.clock = clock
    return clock


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def error(
    code: str, message: str, detail: str, errors: list[dict[str, str]] | None = None
) -> dict[str, Any]:
    """The exact Tallymarks error body."""
    return {"code": code, "message": message, "detail": detail, "errors": errors or []}


def invalid(param: str, message: str, value: str = "") -> dict[str, Any]:
    """The exact body of a one-field ValidationFailed."""
    return error(
        "ValidationFailed",
        "One or more validation errors occurred.",
        message,
        [{"message": message, "param": param, "value": value}],
    )


def action(customer_id: str, name_space: str = "App.Login", **extra: Any) -> dict[str, Any]:
    return {
        "eventId": guid(),
        "customerId": customer_id,
        "nameSpace": name_space,
        "action": {"amount": 0.0, "count": 1},
        **extra,
    }


def order(customer_id: str, total: float, **extra: Any) -> dict[str, Any]:
    return {
        "eventId": guid(),
        "customerId": customer_id,
        "nameSpace": "Order.Completed",
        "reference": f"ORD-{total}",
        "order": {"orderNumber": "ORD-1", "total": total, "currency": "USD"},
        **extra,
    }


async def create_customer(client: httpx.AsyncClient, **fields: Any) -> dict[str, Any]:
    body = {"customerId": guid(), **fields}
    response = await client.post("/api/v1/customers", json=body)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result

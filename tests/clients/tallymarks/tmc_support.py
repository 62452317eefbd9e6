"""Helpers of the Tallymarks client tests: the sandbox in process, a client, its admin side."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
from fastapi import FastAPI

from sandbox.common import VendorRuntime
from sandbox.demo_world import DemoTenant, demo_world
from sandbox.tallymarks import TallymarksSandboxOptions, create_app
from vendors.http import RetryPolicy, VendorHttp, build_async_client
from vendors.http_config import VendorHttpConfig
from vendors.tallymarks import TallymarksClient, TallymarksConfig, tallymarks_http

WORLD = demo_world(7, 2, 25)
ACME, GLOBEX = WORLD.tenants
BASE_URL = "http://tallymarks.test"
FAST_RETRY = RetryPolicy(attempts=3, backoff_base=0.001, backoff_max=0.01)


def new_app(**options: Any) -> FastAPI:
    return create_app(
        WORLD, runtime=VendorRuntime("tallymarks"), options=TallymarksSandboxOptions(**options)
    )


def config_for(
    tenant: DemoTenant = ACME, base_url: str = BASE_URL, **extra: Any
) -> TallymarksConfig:
    return TallymarksConfig(
        customer_base_url=base_url,
        event_base_url=base_url,
        tenant_id=tenant.tallymarks_tenant_id,
        api_key=tenant.tallymarks_api_key,
        api_secret=tenant.tallymarks_api_secret,
        **extra,
    )


def guid() -> str:
    return str(uuid.uuid4())


@dataclass
class Sandbox:
    """A client wired to an in-process sandbox, plus a raw client for its admin routes."""

    app: FastAPI
    client: TallymarksClient
    http: VendorHttp
    admin: httpx.AsyncClient
    sleeps: list[float]

    async def faults(self, **config: Any) -> None:
        response = await self.admin.put("/_sandbox/faults", json=config)
        assert response.status_code == 200, response.text

    async def calls(self, endpoint: str | None = None) -> int:
        counters = (await self.admin.get("/_sandbox/counters")).json()
        if endpoint is None:
            total: int = counters["total"]
            return total
        count: int = counters["endpoints"].get(endpoint, 0)
        return count

    async def reset_counters(self) -> None:
        await self.admin.delete("/_sandbox/counters")


@asynccontextmanager
async def sandbox(
    app: FastAPI | None = None,
    *,
    tenant: DemoTenant = ACME,
    retry: RetryPolicy = FAST_RETRY,
    config: TallymarksConfig | None = None,
    settings: VendorHttpConfig | None = None,
    base_url: str | None = None,
) -> AsyncIterator[Sandbox]:
    """In process (ASGITransport), or over real HTTP when ``base_url`` is given."""
    app = app or new_app()
    sleeps: list[float] = []

    async def record_sleep(seconds: float) -> None:
        sleeps.append(seconds)

    transport = None if base_url else httpx.ASGITransport(app=app)
    url = base_url or BASE_URL
    async with (
        build_async_client(settings, transport=transport) as pooled,
        httpx.AsyncClient(transport=transport, base_url=url) as admin,
    ):
        http = tallymarks_http(pooled, retry)
        http.sleep = record_sleep
        client = TallymarksClient(http, config or config_for(tenant, url))
        yield Sandbox(app, client, http, admin, sleeps)

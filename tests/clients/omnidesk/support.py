"""Helpers for the Omnidesk client tests."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from pydantic import SecretStr

from sandbox.demo_world import DemoTenant, demo_world
from vendors.http import RetryPolicy
from vendors.omnidesk import OmnideskConfig

WORLD = demo_world(7, 2, 25)
ACME, GLOBEX = WORLD.tenants
ACCOUNT_SIZE = 25 + 5
BASE_URL = "http://omnidesk.test"
#: one attempt: a test sees the first failure itself
NO_RETRY = RetryPolicy(attempts=1)


def config(
    tenant: DemoTenant, *, read_only: bool = False, base_url: str = BASE_URL
) -> OmnideskConfig:
    api_key = tenant.omnidesk_read_only_key if read_only else tenant.omnidesk_api_key
    return OmnideskConfig(
        base_url=base_url, api_key=SecretStr(api_key), brand_id=tenant.omnidesk_brand_id
    )


async def counters(app: FastAPI) -> dict[str, int]:
    """The sandbox's per-endpoint request counts, read through ``/_sandbox/counters``."""
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url=BASE_URL
    ) as admin:
        endpoints: dict[str, int] = (await admin.get("/_sandbox/counters")).json()["endpoints"]
    return endpoints


async def set_faults(app: FastAPI, **faults: object) -> None:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url=BASE_URL
    ) as admin:
        response = await admin.put("/_sandbox/faults", json=faults)
        assert response.status_code == 200, response.text

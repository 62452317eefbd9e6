"""Fixtures of the Talon.One sandbox tests: a small world and in-process clients per tenant."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI

from sandbox.common.vendor_app import VendorRuntime
from sandbox.demo_world import DemoTenant, DemoWorld, demo_world
from sandbox.talon.app import create_app
from sandbox.talon.options import TalonSandboxOptions

BASE_URL = "http://talon.test"


@pytest.fixture
def world() -> DemoWorld:
    return demo_world(7, 2, 25)


@pytest.fixture
def tenant(world: DemoWorld) -> DemoTenant:
    return world.tenants[0]


@pytest.fixture
def other_tenant(world: DemoWorld) -> DemoTenant:
    return world.tenants[1]


@pytest.fixture
def options() -> TalonSandboxOptions:
    return TalonSandboxOptions()


@pytest.fixture
def app(world: DemoWorld, options: TalonSandboxOptions) -> FastAPI:
    return create_app(world, runtime=VendorRuntime("talon"), options=options)


def auth(tenant: DemoTenant) -> dict[str, str]:
    return {"Authorization": f"ApiKey-v1 {tenant.talon_api_key}"}


@pytest.fixture
async def client(app: FastAPI, tenant: DemoTenant) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url=BASE_URL, headers=auth(tenant)
    ) as c:
        yield c


@pytest.fixture
async def other_client(app: FastAPI, other_tenant: DemoTenant) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url=BASE_URL, headers=auth(other_tenant)
    ) as c:
        yield c


@pytest.fixture
async def anon(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE_URL) as c:
        yield c

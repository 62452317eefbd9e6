"""Fixtures: the Omnidesk client over the sandbox in process (ASGITransport)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI

from sandbox.common import VendorRuntime
from sandbox.omnidesk.app import RATE_LIMIT_BODY, create_app
from sandbox.omnidesk.options import OmnideskSandboxOptions
from tests.clients.omnidesk.support import ACME, WORLD, config
from vendors.http import RetryPolicy, VendorHttp, build_async_client
from vendors.omnidesk import OmnideskClient, omnidesk_http

#: quick backoff so retry tests stay fast
FAST_RETRY = RetryPolicy(attempts=3, backoff_base=0.001, backoff_max=0.005)


@pytest.fixture
def app() -> FastAPI:
    runtime = VendorRuntime("omnidesk", rate_limit_body=RATE_LIMIT_BODY)
    return create_app(WORLD, runtime=runtime, options=OmnideskSandboxOptions())


@pytest.fixture
async def http(app: FastAPI) -> AsyncIterator[VendorHttp]:
    client = build_async_client(transport=httpx.ASGITransport(app=app))
    yield omnidesk_http(client, FAST_RETRY)
    await client.aclose()


@pytest.fixture
def omnidesk(http: VendorHttp) -> OmnideskClient:
    return OmnideskClient(http, config(ACME))


@pytest.fixture
def read_only(http: VendorHttp) -> OmnideskClient:
    return OmnideskClient(http, config(ACME, read_only=True))

"""Fixtures: a fresh Omnidesk sandbox per test, called in process."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import httpx
import pytest
from fastapi import FastAPI

from sandbox.common import VendorRuntime
from sandbox.omnidesk.app import create_app
from sandbox.omnidesk.options import OmnideskSandboxOptions
from tests.sandbox.omnidesk.support import WORLD

MakeClient = Callable[..., httpx.AsyncClient]


@pytest.fixture
def app() -> FastAPI:
    return create_app(WORLD, runtime=VendorRuntime("omnidesk"), options=OmnideskSandboxOptions())


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://omnidesk.test"
    ) as http:
        yield http


@pytest.fixture
async def client_with() -> AsyncIterator[MakeClient]:
    """A client for a sandbox built with other options: ``client_with(clamp_item_limit=True)``."""
    opened: list[httpx.AsyncClient] = []

    def make(**options: object) -> httpx.AsyncClient:
        app = create_app(
            WORLD,
            runtime=VendorRuntime("omnidesk"),
            options=OmnideskSandboxOptions.model_validate(options),
        )
        http = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://omnidesk.test"
        )
        opened.append(http)
        return http

    yield make
    for http in opened:
        await http.aclose()

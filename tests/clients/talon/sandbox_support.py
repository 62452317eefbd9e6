"""Wiring for the integration tests: the Talon.One sandbox in process, its admin routes, and
a client pointed at it (with a fake ``sleep`` so retries do not wait)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import httpx
from fastapi import FastAPI
from pydantic import SecretStr

from sandbox.common.vendor_app import VendorRuntime
from sandbox.demo_world import DemoTenant, demo_world
from sandbox.talon.app import create_app
from sandbox.talon.options import TalonSandboxOptions
from tests.clients.talon.fakes import Sleeps
from vendors.http import RetryPolicy, VendorHttp, build_async_client
from vendors.http_config import VendorHttpConfig
from vendors.talon import TalonClient, TalonConfig, talon_http

SANDBOX_URL = "http://talon.test"
RETRY = RetryPolicy(attempts=2, backoff_base=0.01)


def new_sandbox(**options: Any) -> FastAPI:
    """A fresh sandbox over a small world (2 tenants, 25 customers each)."""
    return create_app(
        demo_world(7, 2, 25),
        runtime=VendorRuntime("talon"),
        options=TalonSandboxOptions(**options),
    )


def tenant() -> DemoTenant:
    return demo_world(7, 2, 25).tenants[0]


@dataclass
class Sandbox:
    """A client for one tenant's Application plus the sandbox's admin routes."""

    client: TalonClient
    http: VendorHttp
    admin: httpx.AsyncClient
    sleeps: Sleeps
    tenant: DemoTenant

    async def counters(self) -> dict[str, Any]:
        body: dict[str, Any] = (await self.admin.get("/_sandbox/counters")).json()
        return body

    async def calls(self, method: str, template: str) -> int:
        """Calls counted for ``METHOD /template`` (by template, or by raw paths matching it)."""
        pattern = re.compile(
            "^" + method + " " + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template)) + "$"
        )
        endpoints: dict[str, int] = (await self.counters())["endpoints"]
        return sum(n for key, n in endpoints.items() if pattern.match(key))

    async def total_calls(self) -> int:
        total: int = (await self.counters())["total"]
        return total

    async def reset_counters(self) -> None:
        await self.admin.delete("/_sandbox/counters")

    async def set_faults(self, **faults: Any) -> None:
        response = await self.admin.put("/_sandbox/faults", json=faults)
        response.raise_for_status()

    async def set_options(self, **options: Any) -> None:
        response = await self.admin.put("/_sandbox/talon/settings", json=options)
        response.raise_for_status()

    async def aclose(self) -> None:
        await self.http.client.aclose()
        await self.admin.aclose()


def connect(
    base_url: str,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    admin_transport: httpx.AsyncBaseTransport | None = None,
    settings: VendorHttpConfig | None = None,
    api_key: str | None = None,
) -> Sandbox:
    sleeps = Sleeps()
    http = talon_http(build_async_client(settings, transport=transport), RETRY)
    http.sleep = sleeps
    who = tenant()
    config = TalonConfig(base_url=base_url, api_key=SecretStr(api_key or who.talon_api_key))
    admin = httpx.AsyncClient(transport=admin_transport, base_url=base_url)
    return Sandbox(TalonClient(http, config), http, admin, sleeps, who)


def in_process(app: FastAPI, **kwargs: Any) -> Sandbox:
    return connect(
        SANDBOX_URL,
        transport=httpx.ASGITransport(app=app),
        admin_transport=httpx.ASGITransport(app=app),
        **kwargs,
    )

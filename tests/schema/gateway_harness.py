"""The gateway through its real ASGI app, on the three sandboxes in process.

``Harness.query`` posts a GraphQL operation; ``Harness.calls`` reads the sandboxes' request
counters, so a test can pin exactly how many upstream calls an operation made.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
from fastapi import FastAPI

from demo.tenants import SandboxUrls, demo_tenants
from gateway.app import create_app
from gateway.settings import GatewaySettings, VendorHttpConfig
from sandbox.common import FaultConfig
from sandbox.common.vendor_app import VendorRuntime
from sandbox.demo_world import DemoWorld, demo_world
from sandbox.registry import VENDOR_APPS

WORLD = demo_world(5, 2, 60)


def patient_settings(**settings: Any) -> GatewaySettings:
    """Settings whose vendor attempts are as patient as the event loop the in-process
    sandboxes share with the test: on a loaded machine a call can wait behind everything
    else the loop does and outlast the 4 s production attempt timeout (then a breaker opens)
    without any vendor being slow. Tests about deadlines pass ``GatewaySettings()``."""
    patient = VendorHttpConfig(attempt_timeout=15, call_timeout=18)
    settings.setdefault("http", dict.fromkeys(VENDORS, patient))
    return GatewaySettings(**settings)


URLS = SandboxUrls("http://tallymarks.test", "http://omnidesk.test", "http://talon.test")
API_KEYS = {"key-acme": "acme", "key-globex": "globex"}
VENDORS = ("tallymarks", "omnidesk", "talon")


@dataclass
class Harness:
    world: DemoWorld
    gateway: FastAPI
    sandboxes: dict[str, FastAPI]
    client: httpx.AsyncClient
    key: str = "key-acme"
    extra_headers: dict[str, str] = field(default_factory=dict)

    async def query(
        self, query: str, variables: dict[str, Any] | None = None, *, key: str | None = None
    ) -> dict[str, Any]:
        response = await self.post(query, variables, key=key)
        body: dict[str, Any] = response.json()
        return body

    async def post(
        self, query: str, variables: dict[str, Any] | None = None, *, key: str | None = None
    ) -> httpx.Response:
        headers = {"x-api-key": key or self.key, **self.extra_headers}
        return await self.client.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )

    def runtime(self, vendor: str) -> VendorRuntime:
        runtime: VendorRuntime = self.sandboxes[vendor].state.runtime
        return runtime

    def calls(self, vendor: str | None = None, endpoint: str | None = None) -> int:
        if vendor is None:
            return sum(self.runtime(v).counters.count() for v in VENDORS)
        return self.runtime(vendor).counters.count(endpoint)

    def endpoints(self, vendor: str) -> dict[str, int]:
        return self.runtime(vendor).counters.snapshot().endpoints

    def reset_calls(self) -> None:
        for vendor in VENDORS:
            self.runtime(vendor).counters.reset()

    def fault(self, vendor: str, **config: Any) -> None:
        self.runtime(vendor).faults.set(FaultConfig(**config))

    @property
    def acme(self) -> Any:
        return self.world.tenants[0]

    @property
    def globex(self) -> Any:
        return self.world.tenants[1]


@asynccontextmanager
async def harness(
    settings: GatewaySettings | None = None, world: DemoWorld = WORLD
) -> AsyncIterator[Harness]:
    sandboxes = {v: VENDOR_APPS[v](world) for v in VENDORS}
    for vendor, app in sandboxes.items():
        app.state.runtime.faults.set(FaultConfig())
        app.state.runtime.counters.reset()
        del vendor
    transports = {v: httpx.ASGITransport(app=a) for v, a in sandboxes.items()}
    gateway = create_app(
        settings or patient_settings(),
        tenants=demo_tenants(world, URLS),
        api_keys=API_KEYS,
        transports=transports,
    )
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=gateway), base_url="http://gateway.test"
    ) as client:
        yield Harness(world, gateway, sandboxes, client)

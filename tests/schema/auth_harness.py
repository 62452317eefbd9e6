"""The gateway harness with the keys and token settings an auth test needs, and every
upstream request recorded (to show which tenant's credentials each one carried)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import httpx

from demo.tenants import demo_tenants
from gateway.app import create_app
from gateway.auth.api_keys import ApiKeyGrant
from gateway.auth.scopes import Scope
from gateway.settings import DEFAULT_TTLS, GatewaySettings, TenantConfig
from sandbox.common import FaultConfig
from sandbox.registry import VENDOR_APPS
from tests.schema.gateway_harness import API_KEYS, URLS, VENDORS, WORLD, Harness, patient_settings


def grant(tenant: str, *scopes: Scope) -> ApiKeyGrant:
    return ApiKeyGrant(tenant=tenant, scopes=list(scopes))


#: one key per scope (acme), none at all, and a key for a tenant the gateway does not serve
SCOPED_KEYS: dict[str, str | ApiKeyGrant] = {
    **API_KEYS,
    "key-acme-read": grant("acme", Scope.CUSTOMERS_READ),
    "key-acme-write": grant("acme", Scope.CUSTOMERS_WRITE),
    "key-acme-promotions": grant("acme", Scope.PROMOTIONS),
    "key-acme-support": grant("acme", Scope.SUPPORT),
    "key-acme-gdpr": grant("acme", Scope.GDPR_ERASE),
    "key-acme-nothing": grant("acme"),
    "key-initech": "initech",
}


@dataclass(frozen=True)
class Upstream:
    """One request the gateway sent to a vendor."""

    vendor: str
    method: str
    url: str
    headers: Mapping[str, str]
    body: bytes

    def text(self) -> str:
        headers = " ".join(f"{k}={v}" for k, v in self.headers.items())
        return f"{self.method} {self.url} {headers} {self.body.decode(errors='replace')}"


class RecordingTransport(httpx.AsyncBaseTransport):
    def __init__(self, vendor: str, inner: httpx.AsyncBaseTransport, log: list[Upstream]) -> None:
        self.vendor, self.inner, self.log = vendor, inner, log

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body = await request.aread()
        headers = dict(request.headers)
        self.log.append(Upstream(self.vendor, request.method, str(request.url), headers, body))
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


@dataclass
class AuthHarness(Harness):
    upstream: list[Upstream] = field(default_factory=list)

    async def post_as(
        self, query: str, headers: Mapping[str, str], **variables: object
    ) -> httpx.Response:
        return await self.client.post(
            "/graphql", json={"query": query, "variables": variables}, headers=dict(headers)
        )


@asynccontextmanager
async def auth_harness(
    settings: GatewaySettings | None = None,
    api_keys: Mapping[str, str | ApiKeyGrant] = SCOPED_KEYS,
    tenants: dict[str, TenantConfig] | None = None,
) -> AsyncIterator[AuthHarness]:
    sandboxes = {v: VENDOR_APPS[v](WORLD) for v in VENDORS}
    for app in sandboxes.values():
        app.state.runtime.faults.set(FaultConfig())
        app.state.runtime.counters.reset()
    log: list[Upstream] = []
    transports = {
        v: RecordingTransport(v, httpx.ASGITransport(app=a), log) for v, a in sandboxes.items()
    }
    gateway = create_app(
        settings or patient_settings(_env_file=None),
        tenants=tenants if tenants is not None else demo_tenants(WORLD, URLS),
        api_keys=api_keys,
        transports=transports,
    )
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=gateway), base_url="http://gateway.test"
    ) as client:
        yield AuthHarness(WORLD, gateway, sandboxes, client, upstream=log)


@asynccontextmanager
async def observer(h: Harness) -> AsyncIterator[httpx.AsyncClient]:
    """A second gateway on the same sandboxes, without a read cache: it sees what the
    vendors hold now, whatever the first gateway has cached."""
    no_cache = GatewaySettings(_env_file=None, cache_ttls=dict.fromkeys(DEFAULT_TTLS, 0))
    transports = {v: httpx.ASGITransport(app=a) for v, a in h.sandboxes.items()}
    gateway = create_app(
        no_cache, tenants=demo_tenants(WORLD, URLS), api_keys=API_KEYS, transports=transports
    )
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=gateway), base_url="http://observer.test"
    ) as client:
        yield client

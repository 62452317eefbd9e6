"""The vendor clients the gateway's lifespan owns: one pooled ``httpx.AsyncClient`` per
vendor for the life of the process, shared by every tenant; per-tenant client views are
cheap objects made per request."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import httpx

from gateway.settings import GatewaySettings, TenantConfig, VendorHttpConfig
from gateway.vendors.http import HttpSettings, RetryPolicy, VendorHttp, build_async_client
from gateway.vendors.omnidesk.client import OmnideskClient, omnidesk_http
from gateway.vendors.tallymarks.client import TallymarksClient, tallymarks_http
from gateway.vendors.talon.client import TalonClient, talon_http

__all__ = ["TenantClients", "VendorClients"]


@dataclass(frozen=True)
class TenantClients:
    """One tenant's view of the three vendors."""

    tallymarks: TallymarksClient
    omnidesk: OmnideskClient
    talon: TalonClient


def _http_settings(cfg: VendorHttpConfig) -> HttpSettings:
    return HttpSettings(
        connect_timeout=cfg.connect_timeout,
        read_timeout=cfg.read_timeout,
        write_timeout=cfg.write_timeout,
        pool_timeout=cfg.pool_timeout,
        max_connections=cfg.max_connections,
        max_keepalive_connections=cfg.max_keepalive_connections,
    )


def _retry(cfg: VendorHttpConfig) -> RetryPolicy:
    return RetryPolicy(
        attempts=cfg.retry_attempts,
        backoff_base=cfg.retry_backoff_base,
        max_retry_after=cfg.retry_max_after,
    )


class VendorClients:
    """Owns the three long-lived HTTP clients; ``for_tenant`` binds a tenant's credentials."""

    def __init__(
        self,
        settings: GatewaySettings,
        *,
        transports: Mapping[str, httpx.AsyncBaseTransport] | None = None,
    ) -> None:
        transports = transports or {}

        def client(vendor: str) -> httpx.AsyncClient:
            cfg = settings.http_for(vendor)
            return build_async_client(_http_settings(cfg), transport=transports.get(vendor))

        self._clients = {v: client(v) for v in ("tallymarks", "omnidesk", "talon")}
        self.tallymarks_http = tallymarks_http(
            self._clients["tallymarks"], _retry(settings.http_for("tallymarks"))
        )
        self.omnidesk_http = omnidesk_http(
            self._clients["omnidesk"], _retry(settings.http_for("omnidesk"))
        )
        self.talon_http = talon_http(self._clients["talon"], _retry(settings.http_for("talon")))

    def http(self, vendor: str) -> VendorHttp:
        return {
            "tallymarks": self.tallymarks_http,
            "omnidesk": self.omnidesk_http,
            "talon": self.talon_http,
        }[vendor]

    def for_tenant(self, tenant: TenantConfig) -> TenantClients:
        return TenantClients(
            tallymarks=TallymarksClient(self.tallymarks_http, tenant.tallymarks),
            omnidesk=OmnideskClient(self.omnidesk_http, tenant.omnidesk),
            talon=TalonClient(self.talon_http, tenant.talon),
        )

    async def aclose(self) -> None:
        for client in self._clients.values():
            await client.aclose()

"""The vendor clients the gateway's lifespan owns: one pooled ``httpx.AsyncClient`` per
vendor for the life of the process, shared by every tenant; per-tenant client views are
cheap objects made per request.

Each vendor's HTTP edge also gets, for the life of the process, its circuit breaker, retry
budget, deadlines and concurrency limit (:mod:`vendors.resilience`); Talon.One's writes are
queued per session/profile (:class:`~vendors.resilience.talon_writes.QueuedTalonClient`).
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
from collections.abc import Callable, Mapping

import httpx

from gateway.settings import VENDORS, GatewaySettings, TenantConfig
from vendors.http import (
    CallTimeouts,
    RetryPolicy,
    VendorHttp,
    build_async_client,
)
from vendors.http_config import VendorHttpConfig
from vendors.omnidesk.client import OmnideskClient, omnidesk_http
from vendors.resilience import CircuitBreaker, RetryBudget, StateListener, WriteQueue
from vendors.resilience.talon_writes import QueuedTalonClient
from vendors.tallymarks.client import TallymarksClient, tallymarks_http
from vendors.talon.client import talon_http
from vendors.tenant_clients import TenantClients
from vendors.transport import vendor_transport

__all__ = ["TenantClients", "TransportWrapper", "VendorClients"]

#: tenant configurations whose clients are kept (a few per tenant across reloads)
_MAX_BOUND = 1024

log = logging.getLogger("vendors")

TransportWrapper = Callable[[str, httpx.AsyncBaseTransport], httpx.AsyncBaseTransport]


def _retry(cfg: VendorHttpConfig) -> RetryPolicy:
    return RetryPolicy(
        attempts=cfg.retry_attempts,
        backoff_base=cfg.retry_backoff_base,
        max_retry_after=cfg.retry_max_after,
    )


def _timeouts(vendor: str, cfg: VendorHttpConfig, ceiling: float) -> CallTimeouts:
    """The vendor's deadlines, clamped to ``ceiling`` (the operation's deadline less the
    margin): a call budget past it could only ever be cut short by the operation, so it is
    cut here, once, with a warning at startup saying so."""
    call = min(cfg.call_timeout, ceiling)
    attempt = min(cfg.attempt_timeout, call)
    if call < cfg.call_timeout:
        log.warning(
            "%s call_timeout %g s exceeds execution_timeout less vendor_deadline_margin: "
            "clamped to %g s",
            vendor,
            cfg.call_timeout,
            call,
        )
    if attempt < cfg.attempt_timeout:
        log.warning(
            "%s attempt_timeout %g s exceeds its call budget: clamped to %g s",
            vendor,
            cfg.attempt_timeout,
            attempt,
        )
    return CallTimeouts(attempt=attempt, call=call)


def _resilient(http: VendorHttp, cfg: VendorHttpConfig, ceiling: float) -> VendorHttp:
    """The vendor's edge with its deadlines, breaker, retry budget and concurrency limit."""
    return dataclasses.replace(
        http,
        timeouts=_timeouts(http.vendor, cfg, ceiling),
        breaker=CircuitBreaker(http.vendor, cfg.breaker),
        budget=RetryBudget(cfg.retry_budget),
        limit=asyncio.Semaphore(cfg.max_concurrency),
    )


class VendorClients:
    """Owns the three long-lived HTTP clients; ``for_tenant`` binds a tenant's credentials."""

    def __init__(
        self,
        settings: GatewaySettings,
        *,
        transports: Mapping[str, httpx.AsyncBaseTransport] | None = None,
        wrap_transport: TransportWrapper | None = None,
    ) -> None:
        """``transports`` replace the network (tests); ``wrap_transport(vendor, transport)``
        wraps each vendor's transport, the real pool or a test's (observability)."""
        transports = transports or {}

        def client(vendor: str) -> httpx.AsyncClient:
            http_settings = settings.http_for(vendor)
            # a client given a transport ignores its pool limits: the pool gets them here
            transport = transports.get(vendor) or vendor_transport(
                settings.vendor_transport, http_settings.limits()
            )
            if wrap_transport is not None:
                transport = wrap_transport(vendor, transport)
            return build_async_client(http_settings, transport=transport)

        self._clients = {v: client(v) for v in VENDORS}
        self.tallymarks_http = _resilient(
            tallymarks_http(self._clients["tallymarks"], _retry(settings.http_for("tallymarks"))),
            settings.http_for("tallymarks"),
            settings.vendor_deadline,
        )
        self.omnidesk_http = _resilient(
            omnidesk_http(self._clients["omnidesk"], _retry(settings.http_for("omnidesk"))),
            settings.http_for("omnidesk"),
            settings.vendor_deadline,
        )
        self.talon_http = _resilient(
            talon_http(self._clients["talon"], _retry(settings.http_for("talon"))),
            settings.http_for("talon"),
            settings.vendor_deadline,
        )
        #: Talon.One writes in turn per session/profile, over all requests and tenants
        self.talon_writes = WriteQueue()
        #: each tenant configuration's clients, by the configuration's identity
        self._bound: dict[int, tuple[TenantConfig, TenantClients]] = {}
        self._talon_overlap_retry_delay = settings.talon_overlap_retry_delay

    def http(self, vendor: str) -> VendorHttp:
        return {
            "tallymarks": self.tallymarks_http,
            "omnidesk": self.omnidesk_http,
            "talon": self.talon_http,
        }[vendor]

    @property
    def breakers(self) -> dict[str, CircuitBreaker]:
        """Each vendor's circuit breaker (``.state`` for metrics)."""
        return {v: _breaker(self.http(v)) for v in VENDORS}

    def on_breaker_change(self, listener: StateListener) -> None:
        """Subscribe ``listener(vendor, old, new)`` to every vendor's breaker transitions."""
        for breaker in self.breakers.values():
            breaker.on_state_change(listener)

    def for_tenant(self, tenant: TenantConfig) -> TenantClients:
        """The tenant's clients, bound once per tenant configuration (they hold no request
        state: headers signed per tenant, the shared pools and queue). A reloaded tenant is a
        new configuration object, so rotated credentials are bound afresh."""
        bound = self._bound.get(id(tenant))
        if bound is not None and bound[0] is tenant:
            return bound[1]
        if len(self._bound) >= _MAX_BOUND:  # configurations reloaded many times over
            self._bound.clear()
        clients = self._bind(tenant)
        self._bound[id(tenant)] = (tenant, clients)
        return clients

    def _bind(self, tenant: TenantConfig) -> TenantClients:
        return TenantClients(
            tallymarks=TallymarksClient(self.tallymarks_http, tenant.tallymarks),
            omnidesk=OmnideskClient(self.omnidesk_http, tenant.omnidesk),
            talon=QueuedTalonClient(
                self.talon_http,
                tenant.talon,
                queue=self.talon_writes,
                overlap_retry_delay=self._talon_overlap_retry_delay,
            ),
        )

    async def aclose(self) -> None:
        for client in self._clients.values():
            await client.aclose()


def _breaker(http: VendorHttp) -> CircuitBreaker:
    if http.breaker is None:  # every edge built here has one
        raise RuntimeError(f"{http.vendor} has no circuit breaker")
    return http.breaker

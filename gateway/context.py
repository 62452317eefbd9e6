"""The per-request GraphQL context: who is calling, their tenant's vendor clients, fresh
dataloaders, and this request's handle on the shared read cache."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from functools import cached_property

from strawberry.fastapi import BaseContext

from cache import StaleRead, Tag
from cache.read_ledger import ReadLedger
from cache.request_cache import RequestCache
from gateway.auth.principal import Principal
from gateway.services import GatewayServices
from gateway.settings import TenantConfig
from gateway.tenant_scopes import credential_scopes
from resolvers.loaders.base import LoaderScope
from resolvers.loaders.registry import Loaders
from vendors.tenant_clients import TenantClients

__all__ = ["GraphQLContext"]


class GraphQLContext(BaseContext):
    """``principal`` is ``None`` only for the GraphiQL page, which executes nothing."""

    def __init__(
        self,
        services: GatewayServices,
        principal: Principal | None,
        request_id: str,
        started_at: float | None = None,
    ) -> None:
        super().__init__()
        self.services = services
        self._principal = principal
        self.request_id = request_id
        #: failures of parts of a field that still returned data (see report_partial)
        self.partial_errors: list[tuple[Exception, tuple[str | int, ...]]] = []
        #: the shared read cache as this request sees it (its tenant's keys, its ledger);
        #: invalidations published before the request arrived are applied first
        self.cache = RequestCache(
            services.cache,
            lambda: (self.tenant_key, credential_scopes(self.tenant)),
            started_at=started_at if started_at is not None else time.monotonic(),
            bypass=services.settings.resolver_mode == "naive",
        )
        #: "query" or "mutation", once Strawberry knows (schema.response_cache_extension)
        self.operation_type: str | None = None
        self.operation_name: str | None = None
        #: reads started ahead of the fields that need them (held so they aren't collected)
        self.prefetched: list[asyncio.Task[object]] = []

    @property
    def principal(self) -> Principal:
        if self._principal is None:  # the auth middleware lets no operation through without
            raise RuntimeError("no principal on this request")
        return self._principal

    @property
    def tenant_key(self) -> str:
        return self.principal.tenant

    @cached_property
    def tenant(self) -> TenantConfig:
        return self.services.tenants[self.tenant_key]

    @cached_property
    def vendors(self) -> TenantClients:
        return self.services.vendors.for_tenant(self.tenant)

    @cached_property
    def loaders(self) -> Loaders:
        return Loaders(
            LoaderScope(
                cache=self.cache,
                clients=lambda: self.vendors,
                tracing=self.services.telemetry.tracing,
                naive=self.services.settings.resolver_mode == "naive",
            )
        )

    @property
    def reads(self) -> ReadLedger:
        """What the answer depends on, for the response cache."""
        return self.cache.ledger

    @property
    def stale_reads(self) -> list[StaleRead]:
        """Reads served past their TTL because the vendor failed (``extensions.stale``)."""
        return self.cache.stale_reads

    def report_partial(self, error: Exception, path: Sequence[str | int]) -> None:
        """Record an error for a field that still returns the data it has (e.g. the
        activity feed without a failed source); it joins the response's ``errors``."""
        self.cache.ledger.spoil()
        self.partial_errors.append((error, tuple(path)))

    @property
    def answer_cacheable(self) -> bool:
        """The whole answer may be kept by the response cache (see ReadLedger)."""
        return self.operation_type == "query" and self.reads.cacheable and not self.stale_reads

    def tag(self, vendor: str, resource: str, ident: str) -> Tag:
        """A cache tag of this request's tenant (writes name what they changed)."""
        return self.cache.tag(vendor, resource, ident)

    async def invalidations_published(self) -> None:
        await self.cache.invalidations_published()

    def release(self) -> None:
        """The answer has left (every part of it): the request's loaders let go of what
        they read (see :meth:`resolvers.loaders.registry.Loaders.release`)."""
        loaders = self.__dict__.pop("loaders", None)
        if loaders is not None:
            loaders.release()

    def invalidate(self, *tags: Tag, keep_loaders: bool = False) -> None:
        """Forget what a write changed (call after the vendor accepted it): the
        cross-request entries under ``tags`` and this request's dataloaders, which may hold
        the old value (an existence check, an earlier mutation of the same document).
        Untouched reads come back from the cross-request cache at no cost."""
        self.cache.invalidate(tags)
        if not keep_loaders:
            self.__dict__.pop("loaders", None)  # the cached_property builds fresh ones on use

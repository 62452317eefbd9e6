"""The ASGI app: FastAPI + the Strawberry router at ``/graphql``; the lifespan owns the
vendor clients and the cache."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI, Request

from gateway.auth.api_keys import ApiKeys
from gateway.auth.middleware import AuthMiddleware
from gateway.context import GraphQLContext
from gateway.graphql_router import GatewayGraphQLRouter
from gateway.http_compliance.middleware import install_graphql_http
from gateway.http_cors import CorsMiddleware
from gateway.limits import QueryLimits
from gateway.memory.allocator import pin_mmap_threshold
from gateway.observability import Telemetry
from gateway.observability.install import install_observability
from gateway.persisted.operations import PersistedOperations
from gateway.playground import mount_assets
from gateway.rate_limit.middleware import RateLimitMiddleware
from gateway.request_state import RequestState
from gateway.response_cache import ResponseCache
from gateway.response_gate import ResponseCacheGate
from gateway.services import GatewayServices
from gateway.settings import GatewaySettings, TenantConfig
from gateway.vendor_clients import VendorClients
from schema import DocumentCache, build_schema

__all__ = ["GRAPHQL_PATH", "create_app"]

GRAPHQL_PATH = "/graphql"


#: the CORS policy in force, said once at startup
cors_log = logging.getLogger("gateway.cors")


def create_app(
    settings: GatewaySettings | None = None,
    *,
    tenants: dict[str, TenantConfig] | None = None,
    api_keys: ApiKeys | None = None,
    transports: Mapping[str, httpx.AsyncBaseTransport] | None = None,
    playground_headers: dict[str, str] | None = None,
    playground_variables: dict[str, str] | None = None,
) -> FastAPI:
    """``tenants``/``api_keys`` default to the settings'; ``transports`` is for tests;
    ``playground_headers``/``playground_variables`` prefill the playground (``python -m
    demo`` passes its API key and a customer id)."""
    settings = settings or GatewaySettings()
    pin_mmap_threshold()  # large transient buffers must not pin the heap (gateway.memory)
    tenants = tenants if tenants is not None else settings.all_tenants()
    api_keys = api_keys if api_keys is not None else settings.api_keys
    telemetry = Telemetry.from_settings(settings)
    vendors = VendorClients(
        settings, transports=transports, wrap_transport=telemetry.wrap_transport
    )
    services = GatewayServices.build(settings, tenants, api_keys, vendors)
    services.telemetry = telemetry

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        await services.aclose()

    async def get_context(request: Request) -> GraphQLContext:
        state = RequestState.of(request.scope)
        context = GraphQLContext(services, state.principal, state.request_id, state.arrived_at)
        state.context = context
        return context

    limits = QueryLimits.from_settings(settings)
    app = FastAPI(title="Customer Graph", lifespan=lifespan, docs_url=None, redoc_url=None)
    app.state.services = services
    #: parsed documents, bounded in entries and bytes (app.state: for the memory tests)
    app.state.documents = DocumentCache(
        settings.document_cache_max_entries, settings.document_cache_max_bytes
    )
    graphql = GatewayGraphQLRouter(
        build_schema(limits, app.state.documents),
        context_getter=get_context,
        graphql_ide="graphiql" if settings.playground else None,
        allow_queries_via_get=True,
        # no subscriptions in the schema: no websocket path around the HTTP limits and auth
        subscription_protocols=(),
    )
    graphql.endpoint_path = GRAPHQL_PATH
    graphql.playground_headers = playground_headers
    graphql.playground_variables = playground_variables
    graphql.persisted = PersistedOperations.from_settings(settings, services.redis)
    graphql.persisted.observe = telemetry.metrics.persisted
    app.state.persisted = graphql.persisted
    app.include_router(graphql, prefix=GRAPHQL_PATH)
    if settings.playground:
        mount_assets(app)
    # inside the auth middleware (added after it runs before it): 401 comes first
    responses = None
    if settings.response_cache and settings.resolver_mode == "optimised":
        services.cache.responses = ResponseCache(
            settings.response_cache_max_entries,
            settings.response_cache_max_ttl,
            settings.response_cache_max_bytes,
        )
        responses = ResponseCacheGate(services.cache.responses, services.cache, telemetry.metrics)
    install_graphql_http(app, limits, GRAPHQL_PATH, responses)
    if services.rate_limiter is not None:  # runs after authentication: needs the principal
        app.add_middleware(
            RateLimitMiddleware,
            limiter=services.rate_limiter,
            path=GRAPHQL_PATH,
            metrics=telemetry.metrics,
        )
    app.add_middleware(AuthMiddleware, authenticator=services.authenticator, path=GRAPHQL_PATH)
    if settings.cors.enabled:  # outside auth and the rate limit: see gateway.http_cors
        app.add_middleware(CorsMiddleware, settings=settings.cors)
    cors_log.info("CORS: %s", settings.cors.describe())

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    install_observability(app, services, GRAPHQL_PATH)  # last: its middleware runs first
    return app

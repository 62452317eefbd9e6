"""The ASGI app: FastAPI + the Strawberry router at ``/graphql``; the lifespan owns the
vendor clients and the cache."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI, Request

from gateway.context import GraphQLContext
from gateway.graphql_router import GatewayGraphQLRouter
from gateway.playground import mount_assets
from gateway.services import GatewayServices
from gateway.settings import GatewaySettings, TenantConfig
from gateway.tenancy import TenantAuthMiddleware
from gateway.vendors.clients import VendorClients
from schema import build_schema

__all__ = ["GRAPHQL_PATH", "create_app"]

GRAPHQL_PATH = "/graphql"


def create_app(
    settings: GatewaySettings | None = None,
    *,
    tenants: dict[str, TenantConfig] | None = None,
    api_keys: dict[str, str] | None = None,
    transports: Mapping[str, httpx.AsyncBaseTransport] | None = None,
    playground_headers: dict[str, str] | None = None,
    playground_variables: dict[str, str] | None = None,
) -> FastAPI:
    """``tenants``/``api_keys`` default to the settings'; ``transports`` is for tests;
    ``playground_headers``/``playground_variables`` prefill the playground (the embedded
    demo's API key and a customer id)."""
    settings = settings or GatewaySettings()
    tenants = tenants if tenants is not None else settings.all_tenants()
    api_keys = api_keys if api_keys is not None else settings.api_keys
    services = GatewayServices.build(
        settings, tenants, api_keys, VendorClients(settings, transports=transports)
    )

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        await services.aclose()

    async def get_context(request: Request) -> GraphQLContext:
        principal = request.scope.get("state", {}).get("principal")
        request_id = request.headers.get("x-request-id") or uuid.uuid4().hex
        return GraphQLContext(services, principal, request_id)

    app = FastAPI(title="Customer Graph", lifespan=lifespan, docs_url=None, redoc_url=None)
    app.state.services = services
    graphql = GatewayGraphQLRouter(
        build_schema(),
        context_getter=get_context,
        graphql_ide="graphiql" if settings.playground else None,
        allow_queries_via_get=True,
    )
    graphql.endpoint_path = GRAPHQL_PATH
    graphql.playground_headers = playground_headers
    graphql.playground_variables = playground_variables
    app.include_router(graphql, prefix=GRAPHQL_PATH)
    if settings.playground:
        mount_assets(app)
    app.add_middleware(
        TenantAuthMiddleware, authenticator=services.authenticator, path=GRAPHQL_PATH
    )

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app

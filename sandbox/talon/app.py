"""The Talon.One Integration API sandbox: ``create_app(world, runtime=..., options=...)``.

Serves the in-scope v2 endpoints of the 2022 API (plus ``POST /v2/events``) and the legacy v1
profile/session/event endpoints, scoped by ``Authorization: ApiKey-v1 <key>`` to one
Application per demo tenant, with a small rule engine over seeded campaigns. Admin routes:
``/_sandbox/talon/...`` (see ``routes_admin``) next to the shared ``/_sandbox`` ones.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from sandbox.common.declared_responses import declare_responses
from sandbox.common.vendor_app import VendorRuntime, install_runtime
from sandbox.demo_world import DemoWorld, demo_world_from_env
from sandbox.talon import (
    documented_errors,
    routes_admin,
    routes_audiences,
    routes_coupons,
    routes_events,
    routes_profiles,
    routes_referrals,
    routes_sessions,
    routes_v1,
)
from sandbox.talon.context import TalonContext
from sandbox.talon.demo_data import build_store
from sandbox.talon.errors import TalonError, server_error, validation_errors
from sandbox.talon.options import TalonSandboxOptions
from sandbox.talon.routing import http_error

logger = logging.getLogger("sandbox.talon")


def _operation(request: Request) -> str | None:
    route = request.scope.get("route")
    return getattr(route, "operation_id", None)


def _install_error_handlers(app: FastAPI) -> None:
    """Talon bodies for what happens outside a Talon route (unknown path, 405, admin input)."""

    async def on_http(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, StarletteHTTPException)
        response = http_error(exc).response(_operation(request))
        if exc.headers:
            response.headers.update(exc.headers)
        return response

    async def on_validation(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, RequestValidationError)
        return validation_errors(exc).response(_operation(request))

    async def on_talon(request: Request, exc: Exception) -> JSONResponse:
        assert isinstance(exc, TalonError)
        return exc.response(_operation(request))

    async def on_error(request: Request, exc: Exception) -> JSONResponse:
        logger.error("unexpected error", exc_info=exc)
        return server_error().response(_operation(request))

    app.add_exception_handler(StarletteHTTPException, on_http)
    app.add_exception_handler(RequestValidationError, on_validation)
    app.add_exception_handler(TalonError, on_talon)
    app.add_exception_handler(Exception, on_error)


def create_app(
    world: DemoWorld | None = None,
    *,
    runtime: VendorRuntime | None = None,
    options: TalonSandboxOptions | None = None,
) -> FastAPI:
    """A fresh Talon.One sandbox (its own in-memory state) for ``world``."""
    world = world or demo_world_from_env()
    runtime = runtime or VendorRuntime.from_env("talon")
    app = FastAPI(
        title="Talon.One Integration API (sandbox)",
        version="2022 (talon_go v2.6.1) + v1 legacy",
        description=__doc__,
        # a trailing slash is a 404 in Talon's body, never a redirect (PUT
        # /v2/customer_profiles/ must not land on the bulk route)
        redirect_slashes=False,
    )
    declare_responses(
        app,
        schemas=documented_errors.SCHEMAS,
        errors_of=documented_errors.errors_of,
        description=documented_errors.DESCRIPTION,
    )
    app.state.talon = TalonContext(
        store=build_store(world), options=options or TalonSandboxOptions.from_env()
    )
    for module in (
        routes_profiles,
        routes_sessions,
        routes_events,
        routes_coupons,
        routes_referrals,
        routes_audiences,
        routes_v1,
        routes_admin,
    ):
        app.include_router(module.router)
    _install_error_handlers(app)
    return install_runtime(app, runtime)

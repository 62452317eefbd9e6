"""The Omnidesk Customer API v2 sandbox: ``create_app()`` builds one FastAPI app.

Accounts, brands, customers, channels, custom fields, timelines and tickets live in memory
(``app.state.store``), seeded from the demo world. Behaviour switches are in
:mod:`sandbox.omnidesk.options`; the vendor contract is in docs/vendors/omnidesk.md.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from fastapi import APIRouter, FastAPI

from sandbox.common import VendorRuntime, install_runtime
from sandbox.common.declared_responses import declare_responses
from sandbox.demo_world import DemoCustomer, DemoWorld, demo_world_from_env
from sandbox.omnidesk import (
    documented_errors,
    routes_admin,
    routes_changes,
    routes_crm,
    routes_customers,
    routes_lookup,
    routes_timeline,
)
from sandbox.omnidesk.crm import StubCrm
from sandbox.omnidesk.demo_data import build_store
from sandbox.omnidesk.errors import install_error_handlers
from sandbox.omnidesk.options import OmnideskSandboxOptions
from sandbox.omnidesk.paths import CanonicalPaths, canonical_spellings
from sandbox.omnidesk.rules import utc_now

VENDOR = "omnidesk"
RATE_LIMIT_BODY = b'{"status":"error","message":"Too many requests."}'


def create_app(
    world: DemoWorld | None = None,
    *,
    runtime: VendorRuntime | None = None,
    options: OmnideskSandboxOptions | None = None,
) -> FastAPI:
    world = world or demo_world_from_env()
    options = options or OmnideskSandboxOptions.from_env()
    if runtime is None:
        runtime = VendorRuntime.from_env(VENDOR, rate_limit_body=RATE_LIMIT_BODY)
    app = FastAPI(
        title="Omnidesk Customer API (sandbox)",
        version="2.0.0",
        description="A faithful simulation of the Omnidesk Customer API v2 with demo data. "
        "Authenticate with the `apiKey` header (or `?apiKey=`).",
        # a trailing slash is a 404 in the vendor's body, not a redirect before authentication
        redirect_slashes=False,
    )
    declare_responses(
        app,
        schemas=documented_errors.SCHEMAS,
        errors_of=documented_errors.errors_of,
        description=documented_errors.DESCRIPTION,
    )
    app.state.options = options
    app.state.store = build_store(world, options)
    app.state.crm = StubCrm(_main_brand_customers(world))
    app.state.clock = utc_now
    install_error_handlers(app)
    for module in (
        routes_lookup,
        routes_changes,
        routes_timeline,
        routes_crm,
        routes_customers,
        routes_admin,
    ):
        _register(app, module.router)
    install_runtime(app, runtime)
    _route_case_insensitively(app)
    return app


def _register(app: FastAPI, router: APIRouter) -> None:
    """Add a router's routes to the app as plain routes.

    ``include_router`` (FastAPI ≥ 0.16x) wraps them in an included-router object without a
    ``path``, which hides the route templates from the request counters and from
    :func:`canonical_spellings`; the router's routes already carry their full paths.
    """
    app.router.routes.extend(router.routes)


def _main_brand_customers(world: DemoWorld) -> dict[int, Sequence[DemoCustomer]]:
    by_brand: dict[int, Sequence[DemoCustomer]] = defaultdict(tuple)
    for tenant in world.tenants:
        by_brand[tenant.omnidesk_brand_id] = tenant.customers
    return dict(by_brand)


def _route_case_insensitively(app: FastAPI) -> None:
    """Put :class:`CanonicalPaths` in front of everything, the runtime's counters included.

    This wraps the stack ``install_runtime`` built, so the counters see the canonical path
    and count ``/searchbyprimaryexternalid`` under its route template.
    """
    build_runtime_stack = app.build_middleware_stack

    def build() -> CanonicalPaths:
        return CanonicalPaths(build_runtime_stack(), canonical_spellings(app.routes))

    # the stack is built lazily by Starlette; wrapping the builder is its documented hook
    app.build_middleware_stack = build  # type: ignore[method-assign]

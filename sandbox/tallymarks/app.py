"""The Tallymarks sandbox: Customer API and Event API in one FastAPI app.

The real vendor has two hosts (``api-customer`` and, most likely, ``api-event``); their
paths do not overlap (``/api/v1/customers…`` vs ``/api/v1/events/…``), so one app serves
both and the client keeps two configurable base URLs.
"""

from __future__ import annotations

from fastapi import APIRouter, FastAPI

from sandbox.common import VendorRuntime, install_runtime
from sandbox.common.declared_responses import declare_responses
from sandbox.demo_world import DemoWorld, demo_world_from_env
from sandbox.tallymarks import (
    documented_errors,
    routes_admin,
    routes_customers,
    routes_events,
    routes_history,
    routes_segments,
)
from sandbox.tallymarks.demo_data import build_store
from sandbox.tallymarks.edge import TallymarksEdge
from sandbox.tallymarks.errors import install_error_handlers
from sandbox.tallymarks.options import TallymarksSandboxOptions

DESCRIPTION = """Simulates the Tallymarks Customer API and Event API.

Authenticate every `/api/` call with the `x-tenant-id`, `x-api-key` and `x-api-secret`
headers of a demo tenant (printed by `python -m sandbox`). Sandbox-only routes live under
`/_sandbox/tallymarks`.
"""


#: [G] Tallymarks documents no 429; an edge throttle answering in the vendor's error shape
RATE_LIMIT_BODY = (
    b'{"code":"TooManyRequests","message":"Too Many Requests",'
    b'"detail":"The rate limit was exceeded; retry later.","errors":[]}'
)


def _add_routes(app: FastAPI, router: APIRouter) -> None:
    """Put the router's routes on the app itself, in order.

    ``include_router`` (FastAPI 0.165) wraps them in one opaque route, and the shared request
    counters then see raw paths instead of route templates.
    """
    app.router.routes.extend(router.routes)


def create_app(
    world: DemoWorld | None = None,
    *,
    runtime: VendorRuntime | None = None,
    options: TallymarksSandboxOptions | None = None,
) -> FastAPI:
    world = world or demo_world_from_env()
    runtime = runtime or VendorRuntime.from_env("tallymarks", rate_limit_body=RATE_LIMIT_BODY)
    options = options or TallymarksSandboxOptions.from_env()
    store = build_store(world)

    app = FastAPI(
        title="Tallymarks sandbox",
        version="v1",
        description=DESCRIPTION,
        # a trailing slash is a 404 in the vendor's body, not a redirect (which would come
        # before authentication and with no vendor body)
        redirect_slashes=False,
    )
    declare_responses(
        app,
        schemas=documented_errors.SCHEMAS,
        errors_of=documented_errors.errors_of,
        description=documented_errors.DESCRIPTION,
    )
    app.state.store = store
    app.state.options = options
    install_error_handlers(app)
    # literal /customers/events|transactions before /customers/{customerId}
    # (docs/vendors/tallymarks.md §7.11)
    for router in (
        routes_history.router,
        routes_customers.router,
        routes_segments.router,
        routes_events.router,
        routes_admin.router,
    ):
        _add_routes(app, router)
    app.add_middleware(TallymarksEdge, store=store, options=options)
    return install_runtime(app, runtime)

"""Wires fault injection, request counters and the admin routes into a vendor's FastAPI app.

The middleware is pure ASGI and sits outside FastAPI's own middleware, so a faulted request
never reaches the vendor's routes (no side effect) and is still counted under its route
template, exactly like a call that reached a real vendor's edge.
"""

from __future__ import annotations

import re
from collections.abc import Callable, MutableMapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

import httpx
from fastapi import FastAPI
from starlette.types import ASGIApp, Receive, Scope, Send

from sandbox.common.counters import RequestCounters
from sandbox.common.faults import FaultConfig, FaultInjector, sleep_for

ADMIN_PREFIX = "/_sandbox"
_UNCOUNTED = (ADMIN_PREFIX, "/docs", "/redoc", "/openapi.json")

EDGE_5XX_BODY = (
    b"<html><head><title>{status} Service Unavailable</title></head>"
    b"<body><h1>{status}</h1><p>upstream connect error or disconnect/reset before headers"
    b"</p></body></html>"
)


@dataclass
class VendorRuntime:
    """Per-vendor sandbox state that is not vendor data: faults and counters."""

    vendor: str
    faults: FaultInjector = field(default_factory=FaultInjector)
    counters: RequestCounters = field(init=False)
    rate_limit_body: bytes = b'{"message":"Too Many Requests"}'
    rate_limit_content_type: bytes = b"application/json"

    def __post_init__(self) -> None:
        self.counters = RequestCounters(self.vendor)

    @classmethod
    def from_env(cls, vendor: str, **kwargs: Any) -> VendorRuntime:
        return cls(vendor=vendor, faults=FaultInjector(FaultConfig.from_env(vendor)), **kwargs)


class RouteTemplates:
    """Names a request by its route template, from the app's OpenAPI paths.

    The OpenAPI document is the public, version-independent list of an app's routes
    (FastAPI's included routers are opaque). The most specific template wins (fewest
    parameters), so ``/customers/events`` beats ``/customers/{customerId}``; a template that
    only matches ignoring case (Omnidesk routes case-insensitively) is the fallback.
    """

    #: template tables by route fingerprint: building one means building the app's OpenAPI
    #: document (a large fraction of a second), and every app of one vendor has the same
    _shared: ClassVar[dict[tuple[object, ...], list[_Template]]] = {}

    def __init__(self, app: FastAPI) -> None:
        self._app = app
        self._table: list[_Template] | None = None

    def _build(self) -> list[_Template]:
        fingerprint = _route_fingerprint(self._app)
        table = self._shared.get(fingerprint)
        if table is None:
            table = [
                _Template.of(path, frozenset(m.upper() for m in operations))
                for path, operations in self._app.openapi().get("paths", {}).items()
            ]
            table.sort(key=lambda t: (t.template.count("{"), -len(t.template)))
            self._shared[fingerprint] = table
        return table

    def name(self, scope: Scope) -> str:
        if self._table is None:
            self._table = self._build()
        method, path = scope.get("method", "GET"), scope["path"]
        fallback = None
        for row in self._table:
            if method not in row.methods:
                continue
            if row.exact.match(path):
                return f"{method} {row.template}"
            if fallback is None and row.any_case.match(path):
                fallback = row.template
        return f"{method} {fallback or path}"


def _route_fingerprint(app: FastAPI) -> tuple[object, ...]:
    """Identifies an app's route set by what its routes are, not by object identity
    (apps built by one factory have equal fingerprints)."""
    return _routes_fingerprint(app.router.routes)


def _routes_fingerprint(routes: Sequence[object]) -> tuple[object, ...]:
    rows: list[object] = []
    for route in routes:
        included = getattr(route, "original_router", None)
        if included is not None:
            context = getattr(route, "include_context", None)
            prefix = getattr(context, "prefix", None)
            rows.append(("include", prefix, _routes_fingerprint(included.routes)))
            continue
        endpoint = getattr(route, "endpoint", None)
        rows.append(
            (
                type(route).__name__,
                getattr(route, "path", None),
                tuple(sorted(getattr(route, "methods", None) or ())),
                getattr(endpoint, "__module__", None),
                getattr(endpoint, "__qualname__", None),
            )
        )
    return tuple(rows)


@dataclass(frozen=True)
class _Template:
    template: str
    methods: frozenset[str]
    exact: re.Pattern[str]
    any_case: re.Pattern[str]

    @classmethod
    def of(cls, template: str, methods: frozenset[str]) -> _Template:
        pattern = "^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)) + "$"
        return cls(template, methods, re.compile(pattern), re.compile(pattern, re.IGNORECASE))


class FaultMiddleware:
    """Counts every vendor request, then applies the vendor's current faults."""

    def __init__(self, app: ASGIApp, runtime: VendorRuntime, fastapi_app: FastAPI) -> None:
        self.app = app
        self.runtime = runtime
        self.templates = RouteTemplates(fastapi_app)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(_UNCOUNTED):
            await self.app(scope, receive, send)
            return
        counted = await self._wait_if_held(scope)
        decision = self.runtime.faults.decide()
        faulted = decision.down or decision.hang_s is not None or decision.status is not None
        if faulted and not counted:
            # the request never reaches the routes: name it from the OpenAPI templates
            self.runtime.counters.hit(self.templates.name(scope))
        if decision.down:
            _drop_connection(send)
            return
        await sleep_for(decision)
        if decision.status is not None:
            await self._answer_fault(send, decision.status, decision.retry_after)
            return
        await self.app(scope, receive, self._counting_send(scope, send, counted=counted))

    async def _wait_if_held(self, scope: Scope) -> bool:
        """Park a request to a held endpoint until released; True when it was (and so is
        already counted: a test sees it arrive while it waits)."""
        faults = self.runtime.faults
        if not faults.holding:
            return False
        name = self.templates.name(scope)
        gate = faults.held(name)
        if gate is None:
            return False
        self.runtime.counters.hit(name)
        await gate.wait()
        return True

    def _counting_send(self, scope: Scope, send: Send, *, counted: bool = False) -> Send:
        """Counts the request when its answer starts: routing has named it by then."""
        counters = self.runtime.counters

        async def wrapped(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                if not counted:
                    route = scope.get("route")
                    path = getattr(route, "path", None)
                    template = path or self.templates.name(scope).split(" ")[1]
                    counters.hit(f"{scope.get('method', 'GET')} {template}")
                counters.answered(int(message["status"]))
            await send(message)

        return wrapped

    async def _answer_fault(self, send: Send, status: int, retry_after: int | None) -> None:
        self.runtime.counters.answered(status)
        if status == 429:
            body = self.runtime.rate_limit_body
            headers = [(b"content-type", self.runtime.rate_limit_content_type)]
            headers.append((b"retry-after", str(retry_after or 0).encode()))
        else:
            body = EDGE_5XX_BODY.replace(b"{status}", str(status).encode())
            headers = [(b"content-type", b"text/html")]
        headers.append((b"content-length", str(len(body)).encode()))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def _drop_connection(send: Send) -> None:
    """Close the socket without an answer (uvicorn), or fail the in-process transport."""
    transport = getattr(getattr(send, "__self__", None), "transport", None)
    if transport is not None:
        transport.close()
        return
    raise httpx.ConnectError("sandbox vendor is down (simulated)")


def install_runtime(app: FastAPI, runtime: VendorRuntime) -> FastAPI:
    """Mount the admin routes and the fault middleware on a vendor app (call once, last)."""
    from sandbox.common.admin import admin_router

    app.include_router(admin_router(runtime))
    app.state.runtime = runtime
    original: Callable[[], ASGIApp] = app.build_middleware_stack

    def build() -> ASGIApp:
        return FaultMiddleware(original(), runtime, app)

    app.build_middleware_stack = build  # type: ignore[method-assign]
    return app

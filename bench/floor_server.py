"""What the floor gateway and the direct server share as processes: the command line (port,
tenants file, API keys), the aiohttp app around one ``POST /graphql`` handler, a
``/healthz`` and a ``/_stats`` operation counter (the benchmark divides the sandboxes'
call counters by it), and serving on uvloop with no access log, like the gateway."""

from __future__ import annotations

import argparse
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import aiohttp
from aiohttp import web

from bench.customer_360_calls import Tenants, new_session

#: where the handlers find the tenants, the vendor session and the operation counter
TENANTS = web.AppKey("tenants", Tenants)
SESSION = web.AppKey("session", aiohttp.ClientSession)
STATS = web.AppKey("stats", dict[str, int])


def parse_args(prog: str, description: str, argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog=prog, description=description)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument(
        "--tenants-file", type=Path, help="CG_TENANTS_FILE JSON (default: $CG_TENANTS_FILE)"
    )
    parser.add_argument(
        "--api-keys", help='{"key": "tenant"} JSON (default: $CG_API_KEYS, as the gateway)'
    )
    return parser.parse_args(argv)


def tenants_of(args: argparse.Namespace) -> Tenants:
    if args.api_keys:
        return Tenants.load(args.tenants_file, json.loads(args.api_keys))
    return Tenants.from_environment(args.tenants_file)


def build_app(
    tenants: Tenants, graphql: Callable[[web.Request], Awaitable[web.Response]]
) -> web.Application:
    app = web.Application()
    app[TENANTS] = tenants
    app[STATS] = {"operations": 0}

    async def session_context(app: web.Application) -> AsyncIterator[None]:
        session = new_session()
        app[SESSION] = session
        yield
        await session.close()

    async def healthz(_: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    async def stats(request: web.Request) -> web.Response:
        return web.json_response(request.app[STATS])

    app.cleanup_ctx.append(session_context)
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/_stats", stats)
    app.router.add_post("/graphql", graphql)
    return app


def serve(app: web.Application, host: str, port: int) -> None:
    """On uvloop (as the gateway runs), no access log; SIGTERM stops it."""
    try:
        import uvloop
    except ImportError:  # pragma: no cover - a dependency of the gateway
        web.run_app(app, host=host, port=port, access_log=None, print=None)
        return
    web.run_app(
        app, host=host, port=port, access_log=None, print=None, loop=uvloop.new_event_loop()
    )


def count_operation(request: web.Request) -> None:
    """One operation answered (counted before the answer leaves, like the gateway's metric)."""
    request.app[STATS]["operations"] += 1

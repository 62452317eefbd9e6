"""The direct client: the customer-360's 8 upstream calls with no GraphQL at all.

One aiohttp route, ``POST /graphql`` (so wrk's requests for the gateway drive it unchanged),
reads ``variables.id`` from the JSON body, makes the 8 calls with ``asyncio.gather``
(:mod:`bench.customer_360_calls`) and answers their bodies as one JSON object. Its latency
is what the calls cost from Python; the gateway's and the floor's are measured against it.

``python -m bench.direct_client --port P [--tenants-file F --api-keys JSON]``.
"""

from __future__ import annotations

import json
import sys

from aiohttp import web

from bench.customer_360_calls import Tenants, fetch_customer_360
from bench.floor_server import (
    SESSION,
    TENANTS,
    build_app,
    count_operation,
    parse_args,
    serve,
    tenants_of,
)


def _error(status: int, message: str) -> web.Response:
    return web.json_response({"errors": [{"message": message}]}, status=status)


async def customer_360(request: web.Request) -> web.Response:
    tenant = request.app[TENANTS].by_api_key.get(request.headers.get("X-API-Key", ""))
    if tenant is None:
        return _error(401, "unknown API key")
    try:
        customer_id = json.loads(await request.read())["variables"]["id"]
    except (ValueError, KeyError, TypeError):
        return _error(400, 'expected {"variables": {"id": ...}}')
    if not isinstance(customer_id, str):
        return _error(400, "variables.id must be a string")
    raw = await fetch_customer_360(request.app[SESSION], tenant, customer_id)
    count_operation(request)
    return web.Response(body=json.dumps({"data": raw}), content_type="application/json")


def create_app(tenants: Tenants) -> web.Application:
    return build_app(tenants, customer_360)


def main(argv: list[str] | None = None) -> int:
    args = parse_args("python -m bench.direct_client", __doc__ or "", argv)
    serve(create_app(tenants_of(args)), args.host, args.port)
    return 0


if __name__ == "__main__":
    sys.exit(main())

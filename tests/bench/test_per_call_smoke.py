"""The per-call benchmark (``python -m bench.per_call``): its bare requests are the ones the
vendor clients send, and a tiny run against the sandbox processes yields a row per method
with CPU per call for every implementation and the client ÷ bare aiohttp ratio."""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from bench.per_call import (
    IMPLEMENTATIONS,
    Options,
    aiohttp_call,
    main,
    measure,
    production_clients,
    render_markdown,
)
from bench.per_call_methods import METHODS, REQUEST_ID, Method, Sample, Target
from demo.tenants import SandboxUrls, demo_tenant_config
from gateway.observability.request_id import request_scope
from gateway.request_state import RequestState
from gateway.settings import GatewaySettings
from sandbox.demo_world import demo_world
from vendors.errors import VendorError

#: headers each HTTP library sets its own way (framing, identity): not the request's meaning
TRANSPORT_HEADERS = {"host", "user-agent", "accept-encoding", "connection", "content-length"}
SAMPLE = Sample("0b6f3a0e-6a5e-4c8e-9d7e-2f1a4b5c6d7e", "ada@example.com", 4242)


@dataclass(frozen=True)
class Seen:
    """One request as the server saw it, reduced to what it means to the vendor."""

    method: str
    path: str
    query: tuple[tuple[str, str], ...]
    headers: dict[str, str]
    media_type: str
    body: Any


async def _seen(request: web.Request) -> Seen:
    media = request.content_type
    if media == "application/json":
        body: Any = json.loads(await request.read())
    elif media in ("multipart/form-data", "application/x-www-form-urlencoded"):
        body = {k: str(v) for k, v in (await request.post()).items()}
    else:
        body = await request.read()
    headers = {
        k.lower(): v for k, v in request.headers.items() if k.lower() not in TRANSPORT_HEADERS
    }
    headers.pop("content-type", None)  # the multipart boundary differs; the media type not
    path = request.raw_path.split("?")[0]
    return Seen(request.method, path, tuple(request.query.items()), headers, media, body)


@pytest.fixture
async def recorder() -> AsyncIterator[tuple[str, list[Seen]]]:
    """A server on loopback that records every request and answers ``{}``."""
    seen: list[Seen] = []

    async def record(request: web.Request) -> web.Response:
        seen.append(await _seen(request))
        return web.json_response({})

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", record)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        yield f"http://127.0.0.1:{port}", seen
    finally:
        await runner.cleanup()


@pytest.mark.parametrize("method", METHODS, ids=lambda m: m.key)
async def test_the_bare_request_is_the_one_the_client_sends(
    method: Method, recorder: tuple[str, list[Seen]]
) -> None:
    url, seen = recorder
    world = demo_world(5, 1, 3)
    tenant = demo_tenant_config(world.tenants[0], SandboxUrls(url, url, url))
    vendors = production_clients(GatewaySettings(tenants={"t": tenant}))
    try:
        # ``{}`` is not the vendor's answer: only the request matters here
        with request_scope(RequestState(REQUEST_ID)), contextlib.suppress(VendorError):
            await method.call(vendors.for_tenant(tenant), SAMPLE)
        async with aiohttp.ClientSession() as session:
            await aiohttp_call(session, method.wire(Target.of(tenant), SAMPLE))
    finally:
        await vendors.aclose()

    client, bare = seen
    if method.write and method.vendor == "tallymarks":  # a fresh eventId on each side
        assert client.body.pop("eventId") != bare.body.pop("eventId")
    assert client == bare


def test_an_unknown_method_is_refused_before_anything_starts() -> None:
    assert main(["--only", "tallymarks.no_such_method"]) == 2
    with pytest.raises(ValueError, match="unknown method or vendor"):
        Options(only=("nobody",)).methods()


@pytest.mark.e2e
def test_a_tiny_run_has_a_row_per_method_with_cpu_and_a_ratio() -> None:
    chosen = ("tallymarks.get_customer", "omnidesk.search_by_primary_external_id", "talon")
    options = Options(calls=20, rounds=1, warmup=2, only=chosen, customers=20, log=lambda _: None)

    result = measure(options)

    assert [r.method for r in result.rows] == [
        "tallymarks.get_customer",
        "omnidesk.search_by_primary_external_id",
        "talon.get_customer_inventory",
        "talon.update_customer_profile_v2",
    ]
    table = render_markdown(result)
    for row in result.rows:
        assert set(row.us_per_call) == set(IMPLEMENTATIONS)
        assert all(spread.median > 0 for spread in row.us_per_call.values())
        assert row.ratio is not None
        assert row.ratio.median > 0
        line = next(line for line in table.splitlines() if line.startswith(f"| {row.method}"))
        assert f"`{row.route}`" in line
        assert f"{row.ratio.median:.2f}" in line

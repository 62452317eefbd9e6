"""The shared sandbox machinery: faults, counters and admin routes, on a tiny vendor app."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest
from fastapi import APIRouter, FastAPI

from sandbox.common import FaultConfig, FaultInjector, VendorRuntime, install_runtime
from tests.support.live_server import live_server


def tiny_vendor() -> tuple[FastAPI, VendorRuntime, list[str]]:
    """A vendor with one read and one write route; the list records writes that took effect."""
    app = FastAPI()
    writes: list[str] = []

    @app.get("/things/{thing_id}")
    async def get_thing(thing_id: str) -> dict[str, str]:
        return {"id": thing_id}

    @app.post("/things/{thing_id}")
    async def post_thing(thing_id: str) -> dict[str, str]:
        writes.append(thing_id)
        return {"id": thing_id}

    runtime = VendorRuntime(vendor="tiny")
    install_runtime(app, runtime)
    return app, runtime, writes


def client_for(app: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://tiny.test")


async def test_counters_group_requests_by_route_template() -> None:
    app, _, _ = tiny_vendor()
    async with client_for(app) as client:
        await client.get("/things/1")
        await client.get("/things/2")
        await client.post("/things/3")
        await client.get("/_sandbox/faults")  # admin calls are never counted

        counters = (await client.get("/_sandbox/counters")).json()

    assert counters["total"] == 3
    assert counters["endpoints"] == {"GET /things/{thing_id}": 2, "POST /things/{thing_id}": 1}
    assert counters["statuses"] == {"200": 3}


async def test_counters_reset_over_http() -> None:
    app, runtime, _ = tiny_vendor()
    async with client_for(app) as client:
        await client.get("/things/1")
        reset = await client.delete("/_sandbox/counters")

    assert reset.json()["total"] == 0
    assert runtime.counters.count() == 0


async def test_injected_5xx_answers_with_an_edge_body_and_has_no_side_effect() -> None:
    app, _, writes = tiny_vendor()
    async with client_for(app) as client:
        await client.put("/_sandbox/faults", json={"fail_next": 1, "error_status": 502})
        failed = await client.post("/things/1")
        passed = await client.post("/things/2")

    assert failed.status_code == 502
    assert failed.headers["content-type"] == "text/html"
    assert passed.status_code == 200
    assert writes == ["2"]


async def test_rate_limit_sends_retry_after() -> None:
    app, _, _ = tiny_vendor()
    async with client_for(app) as client:
        await client.put("/_sandbox/faults", json={"rate_limit_rate": 1, "retry_after_seconds": 7})
        response = await client.get("/things/1")

    assert response.status_code == 429
    assert response.headers["retry-after"] == "7"


async def test_down_in_process_is_a_connect_error() -> None:
    app, runtime, _ = tiny_vendor()
    runtime.faults.set(FaultConfig(down=True))
    async with client_for(app) as client:
        with pytest.raises(httpx.ConnectError):
            await client.get("/things/1")
    assert runtime.counters.count() == 1


def test_down_over_http_drops_the_connection() -> None:
    app, runtime, _ = tiny_vendor()
    runtime.faults.set(FaultConfig(down=True))
    with live_server(app) as base_url, httpx.Client(base_url=base_url) as client:
        with pytest.raises(httpx.RemoteProtocolError):
            client.get("/things/1")
        assert client.get("/_sandbox/health").status_code == 200


async def test_hang_outlasts_the_client_read_timeout() -> None:
    app, _, _ = tiny_vendor()
    async with client_for(app) as client:
        await client.put("/_sandbox/faults", json={"hang": True})
        with pytest.raises(asyncio.TimeoutError):
            await asyncio.wait_for(client.get("/things/1"), timeout=0.2)


async def test_latency_is_added_to_answered_requests() -> None:
    app, _, _ = tiny_vendor()
    async with client_for(app) as client:
        await client.put("/_sandbox/faults", json={"latency_ms": 80})
        started = time.perf_counter()
        response = await client.get("/things/1")
        elapsed = time.perf_counter() - started

    assert response.status_code == 200
    assert elapsed >= 0.075


def test_error_rate_is_reproducible_with_a_seed() -> None:
    def outcomes() -> list[int | None]:
        injector = FaultInjector(FaultConfig(error_rate=0.5, seed=42))
        return [injector.decide().status for _ in range(40)]

    first = outcomes()
    assert first == outcomes()
    assert 5 < first.count(503) < 35


def test_faults_can_be_set_at_start_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SANDBOX_TINY_FAULTS", '{"latency_ms": 50, "jitter_ms": 10}')

    runtime = VendorRuntime.from_env("tiny")

    assert runtime.faults.config.latency_ms == 50
    assert runtime.faults.config.jitter_ms == 10


async def test_unknown_fault_settings_are_refused() -> None:
    app, _, _ = tiny_vendor()
    async with client_for(app) as client:
        response = await client.put("/_sandbox/faults", json={"latency": 5})
    assert response.status_code == 422


async def test_counters_name_routes_of_included_routers_by_their_most_specific_template() -> None:
    app = FastAPI()
    router = APIRouter(prefix="/api/v1")

    @router.get("/customers/events")
    async def events() -> list[str]:
        return []

    @router.get("/customers/{customer_id}")
    async def customer(customer_id: str) -> dict[str, str]:
        return {"id": customer_id}

    app.include_router(router)
    runtime = VendorRuntime(vendor="tiny")
    install_runtime(app, runtime)

    async with client_for(app) as client:
        await client.get("/api/v1/customers/events")
        await client.get("/api/v1/customers/42")
        await client.get("/API/V1/customers/43")  # counted under its template even if it 404s

    assert runtime.counters.snapshot().endpoints == {
        "GET /api/v1/customers/events": 1,
        "GET /api/v1/customers/{customer_id}": 2,
    }

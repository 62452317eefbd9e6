"""``/healthz`` (alive) and ``/readyz`` (every vendor host answers)."""

from __future__ import annotations

import time

from pydantic import SecretStr

from demo.tenants import demo_tenants
from gateway.observability.readiness import vendor_origins
from gateway.settings import GatewaySettings
from tests.gateway.observed import observed
from tests.schema.gateway_harness import URLS, WORLD

#: how long the hung vendor would hold the probe
HANG = 30.0
FRESH = GatewaySettings(_env_file=None, readiness_cache_seconds=0, readiness_timeout=0.3)


async def test_liveness_needs_nothing() -> None:
    async with observed() as seen:
        seen.gw.fault("talon", down=True)

        response = await seen.gw.client.get("/healthz")

    assert (response.status_code, response.json()) == (200, {"status": "ok"})


async def test_ready_when_every_vendor_answers_without_credentials_sent() -> None:
    async with observed(FRESH) as seen:
        response = await seen.gw.client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {
        "status": "ready",
        "vendors": {"tallymarks": "reachable", "omnidesk": "reachable", "talon": "reachable"},
    }
    # both Tallymarks APIs share the sandbox's host: one probe
    assert sorted((r.vendor, r.path) for r in seen.received) == [
        ("omnidesk", "/"),
        ("tallymarks", "/"),
        ("talon", "/"),
    ]
    sent = set().union(*(r.header_names for r in seen.received))
    assert sent <= {"host", "accept", "accept-encoding", "connection", "user-agent", "x-request-id"}


async def test_unready_names_the_unreachable_vendor_and_no_url() -> None:
    async with observed(FRESH) as seen:
        seen.gw.fault("omnidesk", down=True)

        response = await seen.gw.client.get("/readyz")

    assert response.status_code == 503
    assert response.json() == {
        "status": "unready",
        "vendors": {"tallymarks": "reachable", "omnidesk": "unreachable", "talon": "reachable"},
        "failing": ["omnidesk"],
    }
    assert ".test" not in response.text


async def test_a_hanging_vendor_is_unreachable_after_the_probe_timeout() -> None:
    async with observed(FRESH) as seen:
        seen.gw.fault("talon", hang=True, hang_seconds=HANG)
        started = time.perf_counter()

        response = await seen.gw.client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["failing"] == ["talon"]
    # cut by the 0.3 s probe timeout, not by the hang's end: any bound far below the hang
    # proves it without racing a loaded machine's clock
    assert time.perf_counter() - started < HANG / 3


async def test_an_error_status_still_proves_the_host_reachable() -> None:
    async with observed(FRESH) as seen:
        seen.gw.fault("tallymarks", error_rate=1.0, error_status=503)

        response = await seen.gw.client.get("/readyz")

    assert response.status_code == 200


async def test_the_result_is_reused_for_a_few_seconds() -> None:
    async with observed(GatewaySettings(_env_file=None, readiness_cache_seconds=60)) as seen:
        first = await seen.gw.client.get("/readyz")
        seen.gw.fault("omnidesk", down=True)
        probes = len(seen.received)

        second = await seen.gw.client.get("/readyz")

    assert (first.status_code, second.status_code) == (200, 200)
    assert len(seen.received) == probes


async def test_probes_are_not_vendor_calls_in_the_metrics() -> None:
    async with observed(FRESH) as seen:
        await seen.gw.client.get("/readyz")

        exposition = seen.exposition()

    assert "cg_upstream_requests_total{" not in exposition


def test_each_vendor_host_is_probed_once_without_path_or_credentials() -> None:
    tenants = demo_tenants(WORLD, URLS)
    acme = tenants["acme"]
    tenants["acme"] = acme.model_copy(
        update={
            "talon": acme.talon.model_copy(
                update={
                    "base_url": "https://user:pw@acme.talon.example:8443/x",
                    "api_key": SecretStr("k"),
                }
            )
        }
    )

    origins = vendor_origins(tenants)

    assert origins == {
        "tallymarks": ["http://tallymarks.test/"],
        "omnidesk": ["http://omnidesk.test/"],
        "talon": ["http://talon.test/", "https://acme.talon.example:8443/"],
    }

"""`python -m sandbox` — the README's command — serves all three vendors on loopback."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator

import httpx
import pytest

from sandbox.demo_world import demo_world
from tests.support.live_server import free_port

pytestmark = pytest.mark.e2e

VENDORS = ("tallymarks", "omnidesk", "talon")


@pytest.fixture(scope="module")
def sandboxes() -> Iterator[dict[str, str]]:
    ports = {vendor: free_port() for vendor in VENDORS}
    env = {
        **os.environ,
        "SANDBOX_CUSTOMERS": "30",
        **{f"SANDBOX_{v.upper()}_PORT": str(p) for v, p in ports.items()},
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "sandbox"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    urls = {v: f"http://127.0.0.1:{p}" for v, p in ports.items()}
    try:
        _wait_until_up(proc, urls.values())
        yield urls
    finally:
        proc.terminate()
        proc.wait(timeout=15)
        if proc.stdout is not None:
            proc.stdout.close()


def _wait_until_up(proc: subprocess.Popen[str], urls: Iterable[str]) -> None:
    deadline = time.monotonic() + 30
    pending = set(urls)
    while pending:
        if proc.poll() is not None or time.monotonic() > deadline:
            output = proc.stdout.read() if proc.stdout else ""
            raise RuntimeError(f"sandboxes did not start:\n{output}")
        for url in list(pending):
            try:
                if httpx.get(f"{url}/_sandbox/health", timeout=1).status_code == 200:
                    pending.discard(url)
            except httpx.TransportError:
                pass
        time.sleep(0.1)


@pytest.mark.parametrize("vendor", VENDORS)
def test_each_sandbox_serves_its_openapi_docs(sandboxes: dict[str, str], vendor: str) -> None:
    base = sandboxes[vendor]
    assert httpx.get(f"{base}/docs").status_code == 200
    spec = httpx.get(f"{base}/openapi.json").json()
    assert spec["paths"], "the sandbox documents its vendor routes"


def test_demo_credentials_work_across_the_three_vendors(sandboxes: dict[str, str]) -> None:
    tenant = demo_world(tenants=2, customers=30).tenants[0]
    customer = tenant.customers[3]

    tally = httpx.get(
        f"{sandboxes['tallymarks']}/api/v1/customers/{customer.customer_id}",
        headers={
            "x-tenant-id": tenant.tallymarks_tenant_id,
            "x-api-key": tenant.tallymarks_api_key,
            "x-api-secret": tenant.tallymarks_api_secret,
        },
    )
    omni = httpx.post(
        f"{sandboxes['omnidesk']}/api/v2/customer/SearchByPrimaryExternalID",
        headers={"apiKey": tenant.omnidesk_api_key},
        files={
            "primary_id": (None, customer.customer_id),
            "brand_id": (None, str(tenant.omnidesk_brand_id)),
        },
    )
    talon = httpx.get(
        f"{sandboxes['talon']}/v1/customer_profiles/{customer.customer_id}/inventory",
        params={"profile": "true"},
        headers={"Authorization": f"ApiKey-v1 {tenant.talon_api_key}"},
    )

    assert tally.status_code == 200
    assert tally.json()["emailAddress"] == customer.email
    assert omni.status_code == 200
    assert customer.customer_id in omni.text
    assert talon.status_code == 200
    assert talon.json()["profile"]["integrationId"] == customer.customer_id


def test_counters_and_faults_are_reachable_per_vendor(sandboxes: dict[str, str]) -> None:
    for base in sandboxes.values():
        assert httpx.delete(f"{base}/_sandbox/counters").json()["total"] == 0
        assert httpx.put(f"{base}/_sandbox/faults", json={"latency_ms": 1}).status_code == 200
        assert httpx.delete(f"{base}/_sandbox/faults").json()["latency_ms"] == 0

"""The GraphQL-over-HTTP audit: graphql-http's ``serverAudits`` (the npm package pinned in
tests/compliance) run by node against the gateway served by uvicorn on loopback, with the
API key on every request. Every audit must pass: 0 errors and 0 warnings."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from demo.tenants import demo_tenants
from gateway.app import create_app
from gateway.settings import GatewaySettings
from sandbox.registry import VENDOR_APPS
from tests.schema.gateway_harness import API_KEYS, URLS, VENDORS, WORLD
from tests.support.live_server import live_server

pytestmark = pytest.mark.e2e

COMPLIANCE = Path(__file__).resolve().parents[1] / "compliance"


@pytest.fixture(scope="module")
def gateway_url() -> Iterator[str]:
    transports = {v: httpx.ASGITransport(app=VENDOR_APPS[v](WORLD)) for v in VENDORS}
    app = create_app(
        GatewaySettings(),
        tenants=demo_tenants(WORLD, URLS),
        api_keys=API_KEYS,
        transports=transports,
    )
    with live_server(app) as url:
        yield f"{url}/graphql"


def run_audit(url: str, headers: dict[str, str]) -> dict[str, Any]:
    node = shutil.which("node")
    assert node is not None, "node is needed for the graphql-http audit"
    assert (COMPLIANCE / "node_modules" / "graphql-http").is_dir(), (
        "graphql-http is not installed: run `make compliance` (npm ci in tests/compliance)"
    )
    done = subprocess.run(
        [node, "audit.mjs", url, json.dumps(headers)],
        cwd=COMPLIANCE,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    report: dict[str, Any] = json.loads(done.stdout)
    return report


def test_the_graphql_http_audit_passes_without_errors_or_warnings(gateway_url: str) -> None:
    report = run_audit(gateway_url, {"X-API-Key": "key-acme"})

    counts = report["counts"]
    print(f"graphql-http audit: {counts}")
    failed = [r for r in report["results"] if r["status"] != "ok"]
    assert counts["error"] == 0, failed
    assert counts["warn"] == 0, failed
    assert counts["ok"] >= 60  # every audit of graphql-http 1.23.1 ran


def test_without_the_api_key_every_audited_request_is_refused(gateway_url: str) -> None:
    report = run_audit(gateway_url, {})

    results = report["results"]
    # the audits expecting 200 fail: authentication comes before GraphQL-over-HTTP
    assert {r["httpStatus"] for r in results if r["status"] != "ok"} == {401}

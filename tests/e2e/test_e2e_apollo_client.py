"""A real client, proven: Apollo Client from npm (pinned by tests/apollo_client's lock file),
in node, drives ``python -m demo`` exactly as an app would: the persisted-queries link
(hash first, the full text on ``PERSISTED_QUERY_NOT_FOUND``), a ``@defer`` query watched
until its deferred part arrives, and error ``extensions`` read from what the client gives.
And graphql-codegen's TypeScript types for the playground's example operations, generated
from the committed schema.graphql and type-checked by tsc with the code that reads them.

node and the npm packages come from ``make apollo-client`` (``npm ci``); without them the
tests skip, except in CI (``CI=true``), where they fail."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.demo_process import running_demo

pytestmark = pytest.mark.e2e

APOLLO_CLIENT = Path(__file__).resolve().parents[1] / "apollo_client"
DEFERRED = {"coupons", "referrals", "promotionLoyalty"}  # 5_customer_360_with_defer.graphql


@dataclass
class Running:
    url: str
    key: str
    customer_ids: list[str]
    talon: str


def require_node() -> str:
    """node, with tests/apollo_client's packages installed; missing → fail in CI, else skip."""
    node = shutil.which("node")
    installed = (APOLLO_CLIENT / "node_modules" / ".package-lock.json").is_file()
    if node is not None and installed:
        return node
    message = (
        "node is not installed"
        if node is None
        else "tests/apollo_client's npm packages are not installed: run `make apollo-client`"
    )
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def node() -> str:
    return require_node()


@pytest.fixture(scope="module")
def running(node: str) -> Iterator[Running]:
    with running_demo(customers=20) as demo:
        key = demo.acme_key
        page = httpx.post(
            f"{demo.url}/graphql",
            json={"query": "{ customers(first: 20) { edges { node { customerId } } } }"},
            headers={"X-API-Key": key},
            timeout=30,
        ).json()
        ids = [e["node"]["customerId"] for e in page["data"]["customers"]["edges"]]
        yield Running(f"{demo.url}/graphql", key, ids, demo.sandbox_urls["talon"])


def drive(node: str, running: Running, scenario: str, customer_id: str) -> dict[str, Any]:
    """Run one scenario of apollo_client.mjs; what the client saw, as it printed it."""
    config = {"url": running.url, "key": running.key, "customerId": customer_id}
    done = subprocess.run(
        [node, "apollo_client.mjs", scenario, json.dumps(config)],
        cwd=APOLLO_CLIENT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    seen: dict[str, Any] = json.loads(done.stdout)
    return seen


@pytest.fixture
def talon_faults(running: Running) -> Iterator[Any]:
    """Set the Talon.One sandbox's faults for one test; cleared after it, whatever happens."""

    def put(faults: dict[str, Any]) -> None:
        httpx.put(f"{running.talon}/_sandbox/faults", json=faults).raise_for_status()

    try:
        yield put
    finally:
        httpx.delete(f"{running.talon}/_sandbox/faults")


def test_the_persisted_queries_link_sends_the_hash_first_then_the_full_query(
    node: str, running: Running
) -> None:
    seen = drive(node, running, "apq", running.customer_ids[-1])

    sent = [(r["hasQuery"], r["sha256Hash"] is not None) for r in seen["requests"]]
    # the hash alone; the full text after PERSISTED_QUERY_NOT_FOUND; then the hash is enough
    assert sent == [(False, True), (True, True), (False, True)], seen["requests"]
    assert seen["requests"][0]["codes"] == ["PERSISTED_QUERY_NOT_FOUND"]
    assert seen["requests"][1]["hashMatchesQuery"] is True
    assert len({r["sha256Hash"] for r in seen["requests"]}) == 1
    assert all(r["status"] == 200 for r in seen["requests"])
    assert seen["results"] == [{"customerId": running.customer_ids[-1], "codes": []}] * 2


def test_a_deferred_query_gives_the_client_its_first_part_before_the_rest(
    node: str, running: Running, talon_faults: Any
) -> None:
    """The deferred example (5_customer_360_with_defer.graphql), through the persisted-queries
    link, watched as a screen would: with Talon.One 1.5 s slow, the client first emits the
    loyalty and support fields without the promotion ones, then the whole customer."""
    talon_faults({"latency_ms": 1500})

    seen = drive(node, running, "defer", running.customer_ids[-2])

    full_text = [r for r in seen["requests"] if r["hasQuery"]]
    assert full_text, seen["requests"]
    assert "multipart/mixed" in full_text[-1]["accept"]
    assert "deferSpec=20220824" in full_text[-1]["accept"]
    assert full_text[-1]["contentType"].startswith("multipart/mixed")
    emissions = seen["emissions"]
    assert not seen["timedOut"], emissions
    assert len(emissions) >= 2, emissions
    first, last = emissions[0], emissions[-1]
    assert first["customerId"] == running.customer_ids[-2]
    assert first["points"] is not None  # the loyalty system's fields are in the first part
    assert "supportProfile" in first["fields"]
    assert not DEFERRED & set(first["fields"]), first  # the promotion engine's are not yet
    assert first["coupons"] == "absent"
    assert set(last["fields"]) >= DEFERRED, last
    assert last["coupons"] != "absent"
    assert first["at"] < last["at"]
    assert all(e["codes"] == [] for e in emissions), emissions


def test_the_client_reads_error_codes_from_extensions(
    node: str, running: Running, talon_faults: Any
) -> None:
    talon_faults({"down": True})

    seen = drive(node, running, "errors", running.customer_ids[-3])

    # a refused argument: errorPolicy "none" throws an ApolloError carrying the GraphQL errors
    bad_id = seen["badId"]
    assert bad_id["thrown"] is True
    assert bad_id["name"] == "ApolloError"
    assert bad_id["codes"] == ["BAD_USER_INPUT"]
    assert bad_id["argument"] == "id"
    # a vendor down: errorPolicy "all" gives the other vendors' data and the coded error
    down = seen["vendorDown"]
    assert down["customerId"] == running.customer_ids[-3]
    assert down["points"] is not None
    assert down["coupons"] is None
    assert down["codes"] == ["UPSTREAM_UNAVAILABLE"]
    assert down["vendor"] == "talon"
    assert down["path"] == ["customer", "coupons"]


def test_codegen_types_for_the_example_operations_type_check(node: str) -> None:
    """graphql-codegen validates every example against schema.graphql and types it; tsc then
    checks customer360.ts, which reads the customer-360 examples' results through them."""
    generated = APOLLO_CLIENT / "generated"
    shutil.rmtree(generated, ignore_errors=True)
    bin_dir = APOLLO_CLIENT / "node_modules" / ".bin"

    codegen = subprocess.run(
        [str(bin_dir / "graphql-codegen"), "--config", "codegen.yml"],
        cwd=APOLLO_CLIENT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert codegen.returncode == 0, (codegen.stdout + codegen.stderr)[-3000:]
    operations = (generated / "operations.ts").read_text()
    for name in ("Customer360Query", "Customer360DeferredQuery", "SearchQuery", "CartMutation"):
        assert f"export type {name} = " in operations

    tsc = subprocess.run(
        [str(bin_dir / "tsc"), "-p", "tsconfig.json"],
        cwd=APOLLO_CLIENT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert tsc.returncode == 0, (tsc.stdout + tsc.stderr)[-3000:]

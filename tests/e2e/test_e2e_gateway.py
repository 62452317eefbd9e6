"""`python -m demo` (what `make run` starts): the gateway and the vendor sandboxes on
loopback, each in its own uvicorn server; the playground's example operations run clean."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest

from gateway.playground.page import example_operations
from tests.support.demo_process import running_demo
from tests.support.multipart_parts import parts

pytestmark = pytest.mark.e2e


@dataclass
class Running:
    url: str
    key: str
    customer_id: str
    sandbox_urls: dict[str, str]


@pytest.fixture(scope="module")
def running() -> Iterator[Running]:
    with running_demo(customers=40) as demo:
        customer = demo.banner_value(r'customer\(id: "([0-9a-f-]{36})"\)')
        yield Running(demo.url, demo.acme_key, customer, demo.sandbox_urls)


@pytest.mark.parametrize(("title", "operation"), example_operations())
def test_each_playground_example_runs_without_errors(
    running: Running, title: str, operation: str
) -> None:
    variables = {
        "customerId": running.customer_id,
        "sessionId": f"e2e-{title.replace(' ', '-')}",
        "key": f"e2e-{title.replace(' ', '-')}",
        "search": "de",
    }
    used = {k: v for k, v in variables.items() if f"${k}:" in operation}
    in_parts = "@defer" in operation or "@stream" in operation
    accept = "multipart/mixed;deferSpec=20220824, application/json" if in_parts else "*/*"

    response = httpx.post(
        f"{running.url}/graphql",
        json={"query": operation, "variables": used},
        headers={"X-API-Key": running.key, "Accept": accept},
        timeout=30,
    )

    assert response.status_code == 200
    if in_parts:
        found = parts(response.content, response.headers["content-type"])
        assert found[-1]["hasNext"] is False
        errors = [e for p in found for i in p.get("incremental", []) for e in i.get("errors", [])]
        assert not errors, json.dumps(errors)[:500]
        body = found[0]
    else:
        body = response.json()
    assert "errors" not in body, json.dumps(body["errors"])[:500]
    assert body["data"]


def test_the_first_part_leaves_before_a_hung_vendor_answers(running: Running) -> None:
    """``@defer`` around the promotion fields: with Talon.One hung, the loyalty and support
    fields arrive at once; the deferred part follows when the hung call is cut."""
    query = """query($id: ID!) { customer(id: $id) { customerId pointsBalance { points }
      supportProfile { firstName } ... @defer { coupons { value } } } }"""
    talon = running.sandbox_urls["talon"]
    page = httpx.post(
        f"{running.url}/graphql",
        json={"query": "{ customers(first: 40) { edges { node { customerId } } } }"},
        headers={"X-API-Key": running.key},
    ).json()
    # a customer no other test has read: nothing about them is cached
    customer_id = page["data"]["customers"]["edges"][-2]["node"]["customerId"]
    httpx.put(f"{talon}/_sandbox/faults", json={"hang": True})
    arrivals: list[tuple[float, bytes]] = []
    try:
        started = time.monotonic()
        with httpx.stream(
            "POST",
            f"{running.url}/graphql",
            json={"query": query, "variables": {"id": customer_id}},
            headers={"X-API-Key": running.key, "Accept": "multipart/mixed, application/json"},
            timeout=60,
        ) as response:
            content_type = response.headers["content-type"]
            for chunk in response.iter_raw():
                arrivals.append((time.monotonic() - started, chunk))
    finally:
        httpx.delete(f"{talon}/_sandbox/faults")
    body = b"".join(chunk for _, chunk in arrivals)
    first, *later = parts(body, content_type)
    first_at = next(at for at, _ in _cumulative(arrivals) if b'"hasNext":true' in _)
    assert first["data"]["customer"]["pointsBalance"] is not None
    codes = {
        e["extensions"]["code"]
        for p in later
        for i in p.get("incremental", [])
        for e in i.get("errors", [])
    }
    assert codes == {"UPSTREAM_TIMEOUT"}
    # the first part came while the hung call was still waiting for its attempt timeout
    assert first_at < arrivals[-1][0] / 2


def _cumulative(arrivals: list[tuple[float, bytes]]) -> Iterator[tuple[float, bytes]]:
    seen = b""
    for at, chunk in arrivals:
        seen += chunk
        yield at, seen


def test_a_query_reaches_each_sandbox_over_loopback(running: Running) -> None:
    headers = {"X-API-Key": running.key}
    page = httpx.post(
        f"{running.url}/graphql",
        json={"query": "{ customers(first: 40) { edges { node { customerId } } } }"},
        headers=headers,
    ).json()
    # a customer no other test has read, so nothing about them is cached yet
    customer_id = page["data"]["customers"]["edges"][-1]["node"]["customerId"]
    assert customer_id != running.customer_id
    for url in running.sandbox_urls.values():
        httpx.delete(f"{url}/_sandbox/counters")
    query = """query($id: ID!) { customer(id: $id) {
      customerId transactions(first: 3) { edges { cursor } } supportProfile { supportId }
      coupons { value } } }"""

    body = httpx.post(
        f"{running.url}/graphql",
        json={"query": query, "variables": {"id": customer_id}},
        headers=headers,
    ).json()

    assert body["data"]["customer"]["customerId"] == customer_id
    totals = {
        v: httpx.get(f"{u}/_sandbox/counters").json()["total"]
        for v, u in running.sandbox_urls.items()
    }
    assert all(total >= 1 for total in totals.values()), totals


def test_the_playground_page_is_served(running: Running) -> None:
    page = httpx.get(f"{running.url}/graphql", headers={"accept": "text/html"})

    assert page.status_code == 200
    assert running.key in page.text  # the demo key is prefilled in the headers editor

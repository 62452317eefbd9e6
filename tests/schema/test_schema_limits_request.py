"""Request limits: body size (413 before parsing), one operation per request, and the
execution timeout; each refused with its own code, no upstream call, no HTTP 500."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from starlette.types import Receive, Scope, Send

from gateway.request_state import RequestState
from gateway.settings import GatewaySettings
from tests.schema.gateway_harness import Harness, harness
from vendors.http import VendorHttp

KEY = {"x-api-key": "key-acme"}
GRAPHQL_RESPONSE = "application/graphql-response+json"


async def test_a_body_over_the_limit_is_413_before_it_is_parsed() -> None:
    async with harness(GatewaySettings(max_body_bytes=200)) as gw:
        body = b'{"query": "{ __typename }", "variables": {"pad": "' + b"x" * 300 + b'"}}'
        response = await gw.client.post(
            "/graphql", content=body, headers={**KEY, "content-type": "application/json"}
        )

        assert response.status_code == 413
        assert response.json() == {
            "errors": [
                {
                    "message": "The request body is larger than 200 bytes.",
                    "extensions": {"code": "REQUEST_TOO_LARGE", "maxBytes": 200},
                }
            ]
        }
        assert gw.calls() == 0


async def test_a_streamed_body_over_the_limit_is_413_too() -> None:
    async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: sent chunked
        yield b'{"query": "{ __typename }", "pad": "'
        for _ in range(10):
            yield b"y" * 50
        yield b'"}'

    async with harness(GatewaySettings(max_body_bytes=200)) as gw:
        response = await gw.client.post(
            "/graphql", content=chunks(), headers={**KEY, "content-type": "application/json"}
        )

        assert response.status_code == 413
        assert response.json()["errors"][0]["extensions"]["code"] == "REQUEST_TOO_LARGE"


async def test_a_body_within_the_limit_runs() -> None:
    async with harness(GatewaySettings(max_body_bytes=200)) as gw:
        assert (await gw.query("{ __typename }")) == {"data": {"__typename": "Query"}}


async def test_a_batch_of_operations_is_refused(gw: Harness) -> None:
    batch = [{"query": "{ __typename }"}, {"query": "{ __typename }"}]

    response = await gw.client.post("/graphql", json=batch, headers=KEY)

    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["extensions"] == {
        "code": "TOO_MANY_OPERATIONS",
        "operations": 2,
        "maxOperations": 1,
    }
    assert "one operation per request" in error["message"]


#: a short execution timeout, with a margin under it for the vendor calls
SHORT = GatewaySettings(execution_timeout=0.3, vendor_deadline_margin=0.1)


class Stall:
    """Work the vendor cutoff does not reach (5 s before each vendor call while ``on``): the
    execution timeout is then the only bound left, and must still hold."""

    on = True


@pytest.fixture
def stall(monkeypatch: pytest.MonkeyPatch) -> Stall:
    stalled = Stall()
    send = VendorHttp.send

    async def stalled_send(self: VendorHttp, *args: Any, **kwargs: Any) -> httpx.Response:
        if stalled.on:
            await asyncio.sleep(5)
        return await send(self, *args, **kwargs)

    monkeypatch.setattr(VendorHttp, "send", stalled_send)
    return stalled


async def test_a_slow_vendor_is_cut_off_before_the_operation_deadline() -> None:
    """The code tells which deadline fired, no clock needed: the vendor never answers, so a
    call not cut at the vendor cutoff would be ended by the 0.3 s execution timeout
    (EXECUTION_TIMEOUT), long before its 4 s attempt timeout."""
    async with harness(SHORT) as gw:
        gw.fault("tallymarks", hang=True)
        query = "query($id: ID!) { customer(id: $id) { email } }"

        response = await gw.post(query, {"id": gw.acme.customers[0].customer_id})

        assert response.status_code == 200
        codes = {e["extensions"]["code"] for e in response.json()["errors"]}
        assert codes == {"UPSTREAM_TIMEOUT"}


@pytest.mark.usefixtures("stall")
async def test_a_slow_operation_is_cancelled_with_a_graphql_error() -> None:
    """The answer tells that the execution timeout fired, no clock needed: had the stall
    run its 5 s, the vendor call after it would find no time left (UPSTREAM_TIMEOUT)."""
    async with harness(SHORT) as gw:
        query = "query($id: ID!) { customer(id: $id) { email } }"

        response = await gw.post(query, {"id": gw.acme.customers[0].customer_id})

        assert response.status_code == 200
        assert response.json() == {
            "data": None,
            "errors": [
                {
                    "message": "The operation took longer than 0.3 s and was cancelled.",
                    "extensions": {"code": "EXECUTION_TIMEOUT", "timeoutSeconds": 0.3},
                }
            ],
        }


@pytest.mark.usefixtures("stall")
async def test_a_timeout_is_504_for_clients_reading_statuses() -> None:
    async with harness(SHORT) as gw:
        query = "query($id: ID!) { customer(id: $id) { supportProfile { supportId } } }"
        payload = {"query": query, "variables": {"id": gw.acme.customers[0].customer_id}}

        response = await gw.client.post(
            "/graphql", json=payload, headers={**KEY, "accept": GRAPHQL_RESPONSE}
        )

        assert response.status_code == 504
        assert response.headers["content-type"].startswith(GRAPHQL_RESPONSE)
        body = json.loads(response.content)
        assert "data" not in body
        assert body["errors"][0]["extensions"]["code"] == "EXECUTION_TIMEOUT"


async def test_the_gateway_keeps_serving_after_a_timeout(stall: Stall) -> None:
    async with harness(SHORT) as gw:
        query = "query($id: ID!) { customer(id: $id) { email } }"
        stall.on = False  # warm up: the sandbox's first answer is slow to build
        await gw.post(query, {"id": gw.acme.customers[2].customer_id})
        stall.on = True
        timed_out = await gw.query(query, {"id": gw.acme.customers[0].customer_id})
        assert timed_out["errors"][0]["extensions"]["code"] == "EXECUTION_TIMEOUT"
        stall.on = False

        body = await gw.query(query, {"id": gw.acme.customers[1].customer_id})

        assert body["data"]["customer"]["email"] == gw.acme.customers[1].email


async def test_limits_come_after_authentication(gw: Harness) -> None:
    response = await gw.client.post(
        "/graphql", content=b"x" * 2_000_000, headers={"content-type": "text/plain"}
    )

    assert response.status_code == 401
    assert gw.calls() == 0


async def test_a_refusal_leaves_its_code_for_outer_middleware(gw: Harness) -> None:
    seen: list[object] = []

    async def outer(scope: Scope, receive: Receive, send: Send) -> None:
        await gw.gateway(scope, receive, send)
        seen.append(RequestState.of(scope).rejected)

    transport = httpx.ASGITransport(app=outer)
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway.test") as client:
        await client.post("/graphql", json=[{"query": "{ __typename }"}], headers=KEY)
        await client.post("/graphql", json={"query": "{ __typename }"}, headers=KEY)

    assert seen == ["TOO_MANY_OPERATIONS", None]

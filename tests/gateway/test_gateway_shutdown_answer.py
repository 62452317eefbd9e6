"""A request still running when uvicorn's graceful shutdown timeout runs out, through a real
uvicorn server: the client gets a GraphQL-shaped 503 ``SHUTTING_DOWN`` with ``Retry-After``
(not uvicorn's plain-text 500), an answer in parts already under way ends with a last part
saying so, and nothing logs a traceback; the refusal is counted under its code."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from starlette.types import Message

from demo.tenants import demo_tenants
from gateway.app import create_app
from gateway.observability.access_log import ObservabilityMiddleware
from gateway.observability.metrics import GatewayMetrics
from gateway.observability.shutdown import RETRY_AFTER_SECONDS, SHUTTING_DOWN
from sandbox.common import FaultConfig
from sandbox.registry import VENDOR_APPS
from tests.schema.gateway_harness import API_KEYS, URLS, VENDORS, WORLD, patient_settings
from tests.support.live_server import free_port
from tests.support.multipart_parts import parts

#: seconds in-flight requests get once the server is told to stop
GRACEFUL_TIMEOUT = 1
COUPONS = "query($id: ID!) { customer(id: $id) { customerId coupons { value } } }"
DEFERRED = """query($id: ID!) { customer(id: $id) { customerId
  ... @defer(label: "promotions") { coupons { value } } } }"""
MULTIPART = "multipart/mixed;deferSpec=20220824, application/json"


@dataclass
class Served:
    url: str
    server: uvicorn.Server
    gateway: FastAPI
    sandboxes: dict[str, FastAPI]

    def talon_calls(self) -> int:
        return int(self.sandboxes["talon"].state.runtime.counters.count())

    def stop(self) -> None:
        self.server.should_exit = True


@contextmanager
def served_with_talon_hung() -> Iterator[Served]:
    """The gateway on the in-process sandboxes, Talon.One hung, served by uvicorn in a
    thread with a short graceful shutdown timeout."""
    sandboxes = {v: VENDOR_APPS[v](WORLD) for v in VENDORS}
    for app in sandboxes.values():
        app.state.runtime.counters.reset()
        app.state.runtime.faults.set(FaultConfig())
    sandboxes["talon"].state.runtime.faults.set(FaultConfig(hang=True))
    gateway = create_app(
        patient_settings(response_cache=False),
        tenants=demo_tenants(WORLD, URLS),
        api_keys=API_KEYS,
        transports={v: httpx.ASGITransport(app=a) for v, a in sandboxes.items()},
    )
    port = free_port()
    config = uvicorn.Config(
        gateway,
        host="127.0.0.1",
        port=port,
        log_config=None,  # the test's logging (caplog) sees uvicorn's records
        timeout_graceful_shutdown=GRACEFUL_TIMEOUT,
        lifespan="on",
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    _wait(lambda: server.started, "uvicorn to start")
    try:
        yield Served(f"http://127.0.0.1:{port}", server, gateway, sandboxes)
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        assert not thread.is_alive(), "the server did not stop"


def _wait(condition: Callable[[], bool], what: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"waited too long for {what}"
        time.sleep(0.02)


def _body(query: str) -> dict[str, Any]:
    return {"query": query, "variables": {"id": str(WORLD.tenants[0].customers[0].customer_id)}}


def _tracebacks(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.exc_info or "Traceback" in r.getMessage()]


def test_a_request_cut_by_the_graceful_timeout_gets_a_coded_503(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    answers: list[httpx.Response] = []
    with served_with_talon_hung() as served:

        def ask() -> None:
            headers = {"x-api-key": "key-acme", "accept": "application/graphql-response+json"}
            answers.append(
                httpx.post(
                    f"{served.url}/graphql", json=_body(COUPONS), headers=headers, timeout=30
                )
            )

        client = threading.Thread(target=ask)
        client.start()
        _wait(lambda: served.talon_calls() > 0, "the request to reach the hung vendor")
        served.stop()
        client.join(timeout=30)
    [answer] = answers

    assert answer.status_code == 503, answer.text
    assert answer.headers["retry-after"] == str(RETRY_AFTER_SECONDS)
    assert answer.headers["content-type"].startswith("application/graphql-response+json")
    assert answer.headers["x-request-id"]
    [error] = answer.json()["errors"]
    assert error["extensions"]["code"] == SHUTTING_DOWN
    assert not _tracebacks(caplog)
    assert not [r for r in caplog.records if "Exception in ASGI application" in r.getMessage()]
    [access] = [r for r in caplog.records if r.name == "gateway.access"]
    assert (access.status, access.rejected) == (503, SHUTTING_DOWN)  # type: ignore[attr-defined]
    metrics = served.gateway.state.telemetry.metrics.render().decode()
    assert f'cg_graphql_rejected_operations_total{{reason="{SHUTTING_DOWN}"}} 1.0' in metrics


def test_an_answer_in_parts_cut_by_the_graceful_timeout_ends_with_a_part_saying_so(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    first_part = threading.Event()
    received: list[tuple[httpx.Response, bytes]] = []
    with served_with_talon_hung() as served:

        def ask() -> None:
            headers = {"x-api-key": "key-acme", "accept": MULTIPART}
            with httpx.stream(
                "POST", f"{served.url}/graphql", json=_body(DEFERRED), headers=headers, timeout=30
            ) as response:
                body = b""
                for chunk in response.iter_bytes():
                    body += chunk
                    if b'"hasNext":true' in body:
                        first_part.set()
                received.append((response, body))

        client = threading.Thread(target=ask)
        client.start()
        assert first_part.wait(timeout=20), "the first part never came"
        _wait(lambda: served.talon_calls() > 0, "the deferred part to reach the hung vendor")
        served.stop()
        client.join(timeout=30)
    [(response, body)] = received

    assert response.status_code == 200
    first, *_, last = parts(body, response.headers["content-type"])  # closed by its boundary
    assert first["data"]["customer"]["customerId"]
    assert last["hasNext"] is False
    assert last["errors"][0]["extensions"]["code"] == SHUTTING_DOWN
    assert not _tracebacks(caplog)


async def test_only_an_answer_already_under_way_is_left_to_uvicorn() -> None:
    """Cut in the middle of a body that is not in parts, nothing can be added to it: the
    cancellation goes on to uvicorn, which closes the connection."""
    sent: list[Message] = []

    async def half_answers(scope: object, receive: object, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"{", "more_body": True})
        raise asyncio.CancelledError("Task cancelled, timeout graceful shutdown exceeded")

    async def send(message: Message) -> None:
        sent.append(message)

    middleware = ObservabilityMiddleware(
        half_answers,
        metrics=GatewayMetrics(),
        routes={"/graphql"},
        quiet=set(),
        guarded="/graphql",
    )
    scope = {"type": "http", "method": "POST", "path": "/graphql", "headers": []}
    with pytest.raises(asyncio.CancelledError):
        await middleware(scope, None, send)  # type: ignore[arg-type]

    assert [m.get("status") for m in sent] == [200, None]
    assert sent[-1]["body"] == b"{"  # nothing sent after the cancellation

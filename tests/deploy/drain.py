"""SIGTERM while a request is in flight: what a graceful drain must look like from outside."""

from __future__ import annotations

import signal
import socket
import threading
import time
from dataclasses import dataclass, field

import httpx

from tests.deploy.processes import GatewayProcess, wait_for

__all__ = ["InFlight", "Running", "assert_drains", "send_slow_query"]

#: how long the support desk takes to answer while a request is caught by SIGTERM
UPSTREAM_LATENCY_MS = 3000


@dataclass
class Running:
    """A started gateway, the sandboxes it calls and a key and customer to ask with."""

    gateway: GatewayProcess
    sandboxes: dict[str, str]
    key: str
    customer_id: str


@dataclass
class InFlight:
    """A GraphQL request sent from a thread; the answer and when it came."""

    response: httpx.Response | None = None
    error: BaseException | None = None
    answered_at: float = 0.0
    thread: threading.Thread = field(default_factory=threading.Thread)


def send_slow_query(running: Running) -> InFlight:
    """The customer comes from the loyalty sandbox at once, then the support profile takes
    UPSTREAM_LATENCY_MS: once the loyalty read is counted, the request is inside the app."""
    loyalty, support = running.sandboxes["tallymarks"], running.sandboxes["omnidesk"]
    httpx.delete(f"{loyalty}/_sandbox/counters").raise_for_status()
    httpx.put(
        f"{support}/_sandbox/faults", json={"latency_ms": UPSTREAM_LATENCY_MS}
    ).raise_for_status()
    query = "query($id: ID!) { customer(id: $id) { customerId supportProfile { supportId } } }"
    flight = InFlight()

    def send() -> None:
        try:
            flight.response = httpx.post(
                f"{running.gateway.url}/graphql",
                json={"query": query, "variables": {"id": running.customer_id}},
                headers={"X-API-Key": running.key},
                timeout=60,
            )
        except BaseException as exc:  # reported by the test thread
            flight.error = exc
        flight.answered_at = time.monotonic()

    flight.thread = threading.Thread(target=send, daemon=True)
    flight.thread.start()

    def loyalty_read_done() -> bool:
        counters = httpx.get(f"{loyalty}/_sandbox/counters").json()
        return bool(counters["endpoints"].get("GET /api/v1/customers/{customerId}"))

    wait_for(loyalty_read_done, "the request to reach the loyalty sandbox", timeout=30)
    return flight


def _refuses_connections(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return False
    except OSError:
        return True


def assert_drains(running: Running, graceful_timeout: float) -> None:
    """SIGTERM while a request waits on a slow vendor: the port closes, the request is
    answered in full, the process exits 0."""
    proc = running.gateway.proc
    flight = send_slow_query(running)

    signalled_at = time.monotonic()
    proc.send_signal(signal.SIGTERM)

    wait_for(lambda: _refuses_connections(running.gateway.port), "the port to close", 20)
    flight.thread.join(timeout=60)
    assert flight.error is None, repr(flight.error)
    assert flight.response is not None
    assert flight.response.status_code == 200
    body = flight.response.json()
    assert "errors" not in body, body
    assert body["data"]["customer"]["supportProfile"]["supportId"]
    assert flight.answered_at > signalled_at  # it was in flight when SIGTERM came
    assert proc.wait(timeout=graceful_timeout + 15) == 0, running.gateway.printed()[-3000:]

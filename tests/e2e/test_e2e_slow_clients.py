"""Slow clients against ``python -m demo`` (what ``make run`` starts) on loopback: with
1 s header and body read timeouts, 50 slowloris connections (headers one byte every 0.3 s)
and 20 that trickle a body are each closed within the timeout plus slack, and the gateway
answers others promptly meanwhile."""

from __future__ import annotations

import asyncio
import os
import re
import sys
import time
from collections.abc import Iterator

import httpx
import pytest

from tests.deploy.processes import GatewayProcess, start_gateway
from tests.support.live_server import free_port

pytestmark = pytest.mark.e2e

TIMEOUT = 1.0
#: how much later than its timeout a connection may be closed (a loaded 2-core machine)
SLACK = 2.0
#: a byte every this many seconds (the finding: slowloris at one byte per 0.3 s)
TRICKLE = 0.3
SLOW_HEADERS = 50
SLOW_BODIES = 20


@pytest.fixture(scope="module")
def gateway(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[GatewayProcess, str]]:
    ports = {v: free_port() for v in ("tallymarks", "omnidesk", "talon", "gateway")}
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("CG_", "SANDBOX_"))},
        "SANDBOX_CUSTOMERS": "20",
        "CG_PORT": str(ports["gateway"]),
        "CG_HEADER_READ_TIMEOUT": str(TIMEOUT),
        "CG_BODY_READ_TIMEOUT": str(TIMEOUT),
        **{f"SANDBOX_{v.upper()}_PORT": str(p) for v, p in ports.items() if v != "gateway"},
    }
    log = tmp_path_factory.mktemp("slow-clients") / "gateway.log"
    command = [sys.executable, "-m", "demo"]
    with start_gateway(command, env, ports["gateway"], log, ready_line="e.g. query") as running:
        key = re.search(r"demo API key for tenant '[^']+': (\S+)", running.printed())
        assert key is not None, running.printed()
        yield running, key[1]


async def held_for(port: int, head: bytes, trickle: bytes) -> tuple[float, bytes, float]:
    """Send ``head``, then ``trickle`` every 0.3 s until the server closes the connection:
    how long that took, what the server answered, and when (monotonic) it was over."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    started = time.monotonic()
    received = b""
    try:
        writer.write(head)
        while time.monotonic() - started < TIMEOUT + SLACK + 1:
            try:
                data = await asyncio.wait_for(reader.read(65536), TRICKLE)
            except TimeoutError:
                writer.write(trickle)
                continue
            if not data:
                break
            received += data
    except ConnectionError:
        pass
    finally:
        writer.close()
    ended = time.monotonic()
    return ended - started, received, ended


Held = tuple[float, bytes, float]


async def attack(port: int, key: str) -> tuple[list[Held], list[Held], float, bytes, bytes]:
    """The slow clients' fates, and when (monotonic) a normal client's health check was
    answered while they were held, with what; then a query's answer."""
    slow_header = b"POST /graphql HTTP/1.1\r\nHost: gateway\r\n"
    slow_body = (
        b"POST /graphql HTTP/1.1\r\nHost: gateway\r\ncontent-type: application/json\r\n"
        b"x-api-key: " + key.encode() + b"\r\ncontent-length: 1000\r\n\r\n{"
    )
    headers = [held_for(port, slow_header, b"x") for _ in range(SLOW_HEADERS)]
    bodies = [held_for(port, slow_body, b" ") for _ in range(SLOW_BODIES)]
    attackers = asyncio.gather(asyncio.gather(*headers), asyncio.gather(*bodies))
    await asyncio.sleep(0.5)  # every attacker connected and trickling
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=5) as client:
        health = await client.get("/healthz")
        health_at = time.monotonic()
        answer = await client.post(
            "/graphql", json={"query": "{ __typename }"}, headers={"x-api-key": key}
        )
    slow_headers, slow_bodies = await attackers
    return slow_headers, slow_bodies, health_at, health.content, answer.content


def test_slow_clients_are_cut_off_and_others_served_meanwhile(
    gateway: tuple[GatewayProcess, str],
) -> None:
    running, key = gateway
    started = time.monotonic()

    slow_headers, slow_bodies, health_at, health, answer = asyncio.run(attack(running.port, key))

    took = time.monotonic() - started
    assert health == b'{"status":"ok"}'
    # served meanwhile: answered before the first slow client was cut off (an order of
    # events, not a bound a loaded machine could miss)
    assert health_at < min(ended for _, _, ended in slow_headers + slow_bodies)
    assert answer == b'{"data":{"__typename":"Query"}}'
    for held, received, _ in slow_headers + slow_bodies:
        assert held < TIMEOUT + SLACK
        assert received.startswith(b"HTTP/1.1 408 "), received[:200]
        assert b'"code":"REQUEST_TIMEOUT"' in received
    assert took < TIMEOUT + SLACK + 1
    assert running.proc.poll() is None

"""``/metrics`` with ``CG_WORKERS=2`` (``python -m gateway`` on a tenants file, the sandboxes
started here): whichever worker answers a scrape, it counts every worker's requests, with
``process_*`` metrics, no ``_created`` series, and client mistakes under their own codes."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import httpx
import pytest

from demo.tenants import SandboxUrls, demo_tenants
from gateway.settings import tenants_document
from sandbox.demo_world import DemoWorld, demo_world
from sandbox.registry import VENDOR_APPS
from tests.deploy.processes import holder_of, start_gateway, wait_for_workers, workers_of
from tests.support.live_server import free_port, live_server

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="reads Linux's /proc"),
]

API_KEY = "metrics-test-key"
#: customer queries sent, half to each worker
REQUESTS = 40
#: scrapes, half answered by each worker
SCRAPES = 8
#: client mistakes, each with the code it must be counted under
MISTAKES = {
    "{ customer(": "GRAPHQL_PARSE_FAILED",
    "{ noSuchField }": "GRAPHQL_VALIDATION_FAILED",
    '{ customer(id: "not-a-guid") { customerId } }': "BAD_USER_INPUT",
}


@contextmanager
def tenants_on_sandboxes(world: DemoWorld, path: Path) -> Iterator[Path]:
    """The sandboxes, served here, and a tenants file (``CG_TENANTS_FILE``) naming them."""
    with ExitStack() as stack:
        urls = {v: stack.enter_context(live_server(app(world))) for v, app in VENDOR_APPS.items()}
        tenants = tenants_document(demo_tenants(world, SandboxUrls(**urls)))
        path.write_text(json.dumps(tenants), encoding="utf-8")
        yield path


def exchange(conn: socket.socket, request: bytes) -> tuple[int, str]:
    """One request on a keep-alive connection: (status, body)."""
    conn.sendall(request)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            raise ConnectionResetError(f"closed before an answer: {data!r}")
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = re.search(rb"(?im)^content-length:\s*(\d+)", head)
    assert length is not None, head
    while len(body) < int(length[1]):
        chunk = conn.recv(65536)
        assert chunk, body
        body += chunk
    return int(head.split()[1]), body.decode()


@contextmanager
def one_connection_per_worker(
    port: int, supervisor: int, count: int
) -> Iterator[list[socket.socket]]:
    """A keep-alive connection held by each of the supervisor's ``count`` workers (the
    kernel picks which worker accepts a new one, so connections are opened until every
    worker has answered on one). uvicorn replaces a worker that misses its 5 s health check,
    which on a loaded machine can be one still starting: the workers are looked up afresh
    each round, and a replaced worker's connection no longer counts."""
    held: dict[int, socket.socket] = {}
    with ExitStack() as stack:
        deadline = time.monotonic() + 120
        while True:
            workers = workers_of(supervisor)
            held = {pid: conn for pid, conn in held.items() if pid in workers}
            if len(workers) == count and set(held) == set(workers):
                break
            assert time.monotonic() < deadline, f"workers {workers}, answering: {sorted(held)}"
            conn = stack.enter_context(socket.create_connection(("127.0.0.1", port), timeout=30))
            try:
                status = exchange(conn, HEALTH)[0]
            except ConnectionError:
                continue  # its worker was replaced while answering
            assert status == 200
            holder = holder_of(conn, workers)
            if holder is not None:
                held.setdefault(holder, conn)
        yield [held[pid] for pid in workers]


def post(query: str) -> bytes:
    payload = json.dumps({"query": query}).encode()
    return (
        "POST /graphql HTTP/1.1\r\nHost: gateway\r\ncontent-type: application/json\r\n"
        f"x-api-key: {API_KEY}\r\ncontent-length: {len(payload)}\r\n\r\n"
    ).encode() + payload


SCRAPE = b"GET /metrics HTTP/1.1\r\nHost: gateway\r\n\r\n"
HEALTH = b"GET /healthz HTTP/1.1\r\nHost: gateway\r\n\r\n"
#: series counting the POSTs answered 200
ANSWERED = 'cg_http_requests_total{method="POST",route="/graphql",status="200"}'


def samples(exposition: str) -> dict[str, float]:
    """``{'name{labels}': value}`` of every sample line."""
    found = {}
    for line in exposition.splitlines():
        if line and not line.startswith("#"):
            series, _, value = line.rpartition(" ")
            found[series] = float(value)
    return found


@pytest.mark.timeout(360)  # start-up and worker replacements on a loaded machine
def test_every_scrape_of_two_workers_counts_all_requests(tmp_path: Path) -> None:
    world = demo_world(customers=5)
    customers = [c.customer_id for c in world.tenants[0].customers]
    port = free_port()

    with tenants_on_sandboxes(world, tmp_path / "tenants.json") as tenants_file:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("CG_", "PROMETHEUS_"))}
        env |= {
            "CG_WORKERS": "2",
            "CG_HOST": "127.0.0.1",
            "CG_PORT": str(port),
            "CG_TENANTS_FILE": str(tenants_file),
            "CG_API_KEYS": json.dumps({API_KEY: "acme"}),
        }
        with start_gateway(
            [sys.executable, "-m", "gateway"],
            env,
            port,
            tmp_path / "gateway.log",
            ready_line="Customer Graph on",
        ) as gateway:
            wait_for_workers(gateway.proc.pid, 2)
            with one_connection_per_worker(port, gateway.proc.pid, 2) as conns:
                for n, mistake in enumerate(MISTAKES):
                    assert exchange(conns[n % 2], post(mistake))[0] == 200
                for n in range(REQUESTS):  # alternately on each worker
                    query = (
                        f'{{ customer(id: "{customers[n % len(customers)]}") {{ customerId }} }}'
                    )
                    status, body = exchange(conns[n % 2], post(query))
                    assert status == 200, body
                    assert "errors" not in json.loads(body), body
                for conn in conns:  # each worker done with its last request's bookkeeping
                    assert exchange(conn, HEALTH)[0] == 200
                scrapes = [exchange(conns[n % 2], SCRAPE) for n in range(SCRAPES)]
        printed = gateway.printed()

    sent = REQUESTS + len(MISTAKES)
    assert all(status == 200 for status, _ in scrapes)
    for n, (_, body) in enumerate(scrapes):  # answered by each worker in turn
        seen = samples(body)
        assert seen[ANSWERED] == sent, (n, seen[ANSWERED], sent)
        for code in MISTAKES.values():
            assert seen[f'cg_graphql_errors_total{{code="{code}"}}'] == 1, (n, code)
        errors = [s for s in seen if s.startswith("cg_graphql_errors_total")]
        assert not [s for s in errors if re.search("INTERNAL|UNCODED|OTHER", s)], errors
        # the caches' own counters, copied by each worker, are summed too: each worker read
        # each customer once from the vendor, and answered its repeats whole
        assert seen["cg_cache_misses_total"] == 2 * len(customers), n
        assert seen["cg_response_cache_hits_total"] == REQUESTS - 2 * len(customers), n
        assert seen["process_resident_memory_bytes"] > 0
        assert seen["process_cpu_seconds_total"] > 0
        assert 'cg_circuit_breaker_state{state="closed",vendor="tallymarks"}' in seen
        assert not [s for s in seen if "_created" in s]
    assert "Traceback" not in printed


def test_one_worker_starts_on_an_emptied_metrics_directory(tmp_path: Path) -> None:
    """``PROMETHEUS_MULTIPROC_DIR`` set with one worker: the process writes its metrics
    there too, so an earlier run's files must go at start, as with several workers."""
    metrics_dir = tmp_path / "metrics"
    metrics_dir.mkdir()
    earlier_run = (
        "from prometheus_client import Counter\n"
        "Counter('cg_graphql_errors', 'x', ['code']).labels('FROM_AN_EARLIER_RUN').inc(7)\n"
        "Counter('cg_stale_series', 'x').inc()\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CG_", "PROMETHEUS_"))}
    env["PROMETHEUS_MULTIPROC_DIR"] = str(metrics_dir)
    subprocess.run([sys.executable, "-c", earlier_run], env=env, check=True, timeout=60)
    stale = sorted(p.name for p in metrics_dir.glob("*.db"))
    assert stale  # the earlier run left its files
    port = free_port()

    with tenants_on_sandboxes(demo_world(customers=2), tmp_path / "tenants.json") as tenants:
        env |= {"CG_PORT": str(port), "CG_HOST": "127.0.0.1", "CG_TENANTS_FILE": str(tenants)}
        with start_gateway(
            [sys.executable, "-m", "gateway"],
            env,
            port,
            tmp_path / "gateway.log",
            ready_line="Customer Graph on",
        ) as gateway:
            scrape = httpx.get(f"{gateway.url}/metrics", timeout=30)

    assert scrape.status_code == 200
    assert "FROM_AN_EARLIER_RUN" not in scrape.text
    assert "cg_stale_series" not in scrape.text
    seen = samples(scrape.text)
    assert seen['cg_http_requests_total{method="GET",route="/healthz",status="200"}'] >= 1
    assert list(metrics_dir.glob("*.db"))  # this run's files, in the operator's directory

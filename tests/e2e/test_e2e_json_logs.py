"""``python -m demo`` (what ``make run`` starts) with ``CG_LOG_FORMAT=json``: every line it
writes, on stdout and stderr, is one JSON object — uvicorn's startup (once, not once per
server), client mistakes (INFO, no stack), a vendor's faults, a request cut off by the
graceful timeout — and SIGTERM with a request hung on a vendor exits 0 within the graceful
timeout, without a traceback anywhere but inside a field; the hung request is answered with
a coded 503 (``SHUTTING_DOWN``), not uvicorn's plain-text 500."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.live_server import free_port

pytestmark = pytest.mark.e2e

GRACEFUL_TIMEOUT = 2
#: what the process may take beyond the graceful timeout to stop (lifespan, sandboxes)
STOP_MARGIN = 8.0


@dataclass
class Run:
    url: str
    sandboxes: dict[str, str]
    key: str
    customer_id: str
    proc: subprocess.Popen[bytes]
    stdout: Path
    stderr: Path
    lines: list[str] = field(default_factory=list)
    #: what the client of the request hung on a vendor got when the gateway stopped
    hung_answers: list[httpx.Response] = field(default_factory=list)


def _answers(url: str) -> bool:
    try:
        return httpx.get(f"{url}/healthz", timeout=1).status_code == 200
    except httpx.TransportError:
        return False


def _banner(stdout: Path) -> dict[str, Any] | None:
    for line in stdout.read_text(errors="replace").splitlines():
        if line.endswith("}") and '"banner"' in line:
            record: dict[str, Any] = json.loads(line)
            return record
    return None


@pytest.fixture(scope="module")
def stopped(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Run]:
    """The demo after the requests below and a SIGTERM, with everything it wrote."""
    ports = {v: free_port() for v in ("tallymarks", "omnidesk", "talon", "gateway")}
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("CG_", "SANDBOX_"))},
        "CG_LOG_FORMAT": "json",
        "CG_PORT": str(ports["gateway"]),
        "CG_GRACEFUL_TIMEOUT": str(GRACEFUL_TIMEOUT),
        "CG_RESPONSE_CACHE": "false",
        "SANDBOX_CUSTOMERS": "10",
        **{f"SANDBOX_{v.upper()}_PORT": str(p) for v, p in ports.items() if v != "gateway"},
    }
    folder = tmp_path_factory.mktemp("json-logs")
    stdout, stderr = folder / "stdout", folder / "stderr"
    with stdout.open("wb") as out, stderr.open("wb") as err:
        proc = subprocess.Popen(
            [sys.executable, "-m", "demo"], env=env, stdout=out, stderr=err, start_new_session=True
        )
    url = f"http://127.0.0.1:{ports['gateway']}"
    try:
        deadline = time.monotonic() + 60
        while (banner := _banner(stdout)) is None or not _answers(url):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(stderr.read_text(errors="replace")[-3000:])
            time.sleep(0.1)
        run = Run(
            url,
            {v: f"http://127.0.0.1:{p}" for v, p in ports.items() if v != "gateway"},
            banner["demo_api_keys"]["acme"],
            banner["sample_customer_id"],
            proc,
            stdout,
            stderr,
        )
        _make_requests(run)
        yield run
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)


def _post(run: Run, body: dict[str, Any], **headers: str) -> httpx.Response:
    return httpx.post(
        f"{run.url}/graphql", json=body, headers={"X-API-Key": run.key, **headers}, timeout=30
    )


def _make_requests(run: Run) -> None:
    """Client mistakes, a vendor failing, then SIGTERM while a request hangs on a vendor."""
    support = "query($id: ID!) { customer(id: $id) { supportProfile { supportId } } }"
    coupons = "query($id: ID!) { customer(id: $id) { coupons { value } } }"
    assert _post(run, {"query": "{ customer(id: "}).json()["errors"]  # syntax
    assert _post(run, {"query": support, "variables": {"id": 12}}).json()["errors"]
    assert _post(run, {"query": "{ nope }"}).json()["errors"]  # validation
    assert httpx.post(f"{run.url}/graphql", json={"query": "{ __typename }"}).status_code == 401
    variables = {"id": run.customer_id}
    _fault(run, "omnidesk", {"error_rate": 1.0, "seed": 1})
    failed = _post(run, {"query": support, "variables": variables}).json()
    assert failed["errors"], failed
    _fault(run, "talon", {"hang": True})
    calls = _calls(run, "talon")
    hung = threading.Thread(
        target=lambda: _post_quietly(run, {"query": coupons, "variables": variables}),
        daemon=True,
    )
    hung.start()
    deadline = time.monotonic() + 10
    while _calls(run, "talon") == calls:
        assert time.monotonic() < deadline, "the hung request never reached the vendor"
        time.sleep(0.05)
    started = time.monotonic()
    run.proc.send_signal(signal.SIGTERM)
    run.proc.wait(timeout=GRACEFUL_TIMEOUT + STOP_MARGIN + 20)
    run.lines = [f"{time.monotonic() - started:.3f}"]  # the stop's duration
    hung.join(timeout=5)


def _fault(run: Run, vendor: str, config: dict[str, Any]) -> None:
    httpx.put(f"{run.sandboxes[vendor]}/_sandbox/faults", json=config).raise_for_status()


def _calls(run: Run, vendor: str) -> int:
    total: int = httpx.get(f"{run.sandboxes[vendor]}/_sandbox/counters").json()["total"]
    return total


def _post_quietly(run: Run, body: dict[str, Any]) -> None:
    with contextlib.suppress(httpx.HTTPError):  # a test below says what it got
        run.hung_answers.append(_post(run, body))


def _records(run: Run) -> list[dict[str, Any]]:
    records = []
    for path in (run.stdout, run.stderr):
        for line in path.read_text(errors="replace").splitlines():
            record = json.loads(line)  # raises on any line that is not JSON
            assert isinstance(record, dict), line
            records.append(record)
    return records


def test_every_line_on_stdout_and_stderr_is_a_json_object(stopped: Run) -> None:
    for path in (stopped.stdout, stopped.stderr):
        for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
            try:
                assert isinstance(json.loads(line), dict)
            except (json.JSONDecodeError, AssertionError):
                pytest.fail(f"{path.name} line {number} is not a JSON object: {line[:300]}")


def test_sigterm_with_a_request_hung_on_a_vendor_exits_0_within_the_graceful_timeout(
    stopped: Run,
) -> None:
    assert stopped.proc.returncode == 0
    assert float(stopped.lines[0]) < GRACEFUL_TIMEOUT + STOP_MARGIN


def test_no_traceback_outside_a_field(stopped: Run) -> None:
    for record in _records(stopped):
        for key, value in record.items():
            if key not in ("exception", "stack") and isinstance(value, str):
                assert "Traceback (most recent call last)" not in value, record


def test_the_servers_startup_is_logged_once_through_the_formatter(stopped: Run) -> None:
    messages = [r["message"] for r in _records(stopped) if r["logger"].startswith("uvicorn")]

    assert sum(m.startswith("Started server process") for m in messages) == 1
    assert sum(m.startswith("Uvicorn running on") for m in messages) == 1
    assert sum(m == "Application startup complete." for m in messages) == 1


def test_client_mistakes_log_at_info_without_a_stack(stopped: Run) -> None:
    errors = [r for r in _records(stopped) if r["logger"] == "gateway.errors"]
    client = [
        r
        for r in errors
        if r.get("code") in ("GRAPHQL_PARSE_FAILED", "GRAPHQL_VALIDATION_FAILED", "BAD_USER_INPUT")
    ]

    assert {r["code"] for r in client} >= {"GRAPHQL_PARSE_FAILED", "GRAPHQL_VALIDATION_FAILED"}
    assert all(r["level"] == "INFO" and "exception" not in r for r in client), client
    unauthenticated = [
        r for r in _records(stopped) if r["logger"] == "gateway.access" and r["status"] == 401
    ]
    assert unauthenticated
    assert all("exception" not in r for r in unauthenticated)


def test_the_vendor_fault_and_the_cut_off_request_are_logged_as_json(stopped: Run) -> None:
    records = _records(stopped)
    access = [r for r in records if r["logger"] == "gateway.access"]

    # the hung request, cut off at shutdown
    assert any(r["status"] == 503 and r["rejected"] == "SHUTTING_DOWN" for r in access)
    unavailable = [r for r in records if r.get("code") == "UPSTREAM_UNAVAILABLE"]
    assert unavailable
    assert all(r["level"] == "WARNING" and "Omnidesk" in r["message"] for r in unavailable)
    cancelled = [r for r in records if r["message"].startswith("request cancelled")]
    assert all(r["level"] == "WARNING" and "exception" not in r for r in cancelled)


def test_the_request_cut_off_at_shutdown_gets_a_coded_503(stopped: Run) -> None:
    [answer] = stopped.hung_answers

    assert answer.status_code == 503, answer.text
    assert answer.headers["retry-after"]
    assert answer.json()["errors"][0]["extensions"]["code"] == "SHUTTING_DOWN"


def test_the_banner_is_one_record_on_stdout(stopped: Run) -> None:
    banners = [r for r in _records(stopped) if "banner" in r]

    assert len(banners) == 1
    assert "demo API key for tenant 'acme'" in banners[0]["banner"]
    assert stopped.key in banners[0]["banner"]

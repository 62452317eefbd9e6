"""``python -m demo`` (``make run``, which serves through the gateway's serving code) as one
process and with ``CG_WORKERS=2``: SIGTERM stops new connections, lets the in-flight request
finish with its answer and exits 0; two worker processes share the port and both serve;
``python -m gateway`` without tenants refuses to start (it never starts the sandboxes), as
any configuration mistake is refused: one line, exit status 2."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pytest

from gateway.serving import refuse_without_tenants
from gateway.settings import GatewaySettings
from sandbox.demo_world import demo_world
from tests.deploy.drain import Running, assert_drains
from tests.deploy.processes import (
    graphql_request,
    served_by_workers,
    start_gateway,
    wait_for_workers,
    workers_of,
)
from tests.support.demo_banner import banner_text
from tests.support.live_server import free_port

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="reads Linux's /proc"),
]

GRACEFUL_TIMEOUT = 30
#: customers per tenant of the demo world the gateway serves (the default seed otherwise)
CUSTOMERS = 20


@contextmanager
def demo_gateway(tmp_path: Path, **env: str) -> Iterator[Running]:
    """What ``make run`` starts, on free loopback ports, with a small demo world."""
    ports = {v: free_port() for v in ("tallymarks", "omnidesk", "talon", "gateway")}
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("CG_", "SANDBOX_"))},
        "SANDBOX_CUSTOMERS": str(CUSTOMERS),
        "CG_PORT": str(ports["gateway"]),
        "CG_GRACEFUL_TIMEOUT": str(GRACEFUL_TIMEOUT),
        **{f"SANDBOX_{v.upper()}_PORT": str(p) for v, p in ports.items() if v != "gateway"},
        **env,
    }
    with start_gateway(
        [sys.executable, "-m", "demo"],
        environment,
        ports["gateway"],
        tmp_path / "gateway.log",
        ready_line="e.g. query",
    ) as gateway:
        printed = banner_text(gateway.printed())
        key = re.search(r"demo API key for tenant '[^']+': (\S+)", printed)
        customer = re.search(r'customer\(id: "([0-9a-f-]{36})"\)', printed)
        assert key is not None, printed
        assert customer is not None, printed
        sandboxes = {v: f"http://127.0.0.1:{p}" for v, p in ports.items() if v != "gateway"}
        yield Running(gateway, sandboxes, key[1], customer[1])


def test_sigterm_drains_the_in_flight_request_and_exits_0(tmp_path: Path) -> None:
    with demo_gateway(tmp_path) as running:
        assert_drains(running, GRACEFUL_TIMEOUT)


@pytest.mark.timeout(360)  # start-up, worker replacements under load and the drain
def test_two_workers_share_the_port_and_both_serve(tmp_path: Path) -> None:
    """Each worker builds the demo app for the sandboxes the supervisor runs once."""
    with demo_gateway(tmp_path, CG_WORKERS="2") as running:
        proc = running.gateway.proc
        wait_for_workers(proc.pid, 2)

        query = f'{{ customer(id: "{running.customer_id}") {{ customerId }} }}'
        answers = served_by_workers(
            running.gateway.port,
            lambda: workers_of(proc.pid),
            2,
            graphql_request(query, running.key),
            supervisor=proc.pid,
        )
        workers = list(answers)

        assert len(workers) == 2
        for body in answers.values():  # every worker is configured for the sandboxes
            assert json.loads(body)["data"]["customer"]["customerId"] == running.customer_id
        # the sandboxes in the supervisor outlive the workers' drain; a customer nothing
        # about is cached yet, so the request has to wait for the slow vendor
        other_customer = demo_world(customers=CUSTOMERS).tenants[0].customers[1].customer_id
        assert other_customer != running.customer_id
        assert_drains(replace(running, customer_id=other_customer), GRACEFUL_TIMEOUT)
        assert not [pid for pid in workers if Path(f"/proc/{pid}").exists()]


@pytest.mark.parametrize("arguments", [[], ["serve"]])
def test_python_m_gateway_without_tenants_refuses_to_start(arguments: list[str]) -> None:
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("CG_", "SANDBOX_"))},
        "CG_PORT": str(free_port()),
    }

    result = subprocess.run(
        [sys.executable, "-m", "gateway", *arguments],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 2, result.stderr
    [line] = result.stderr.splitlines()
    assert line.startswith("Customer Graph: configuration error: no tenants configured")
    assert "CG_TENANTS_FILE" in line
    assert "python -m demo" in line  # where the demo went


def test_the_refusal_is_about_tenants_alone(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("CG_TENANTS", "CG_TENANTS_FILE"):
        monkeypatch.delenv(name, raising=False)

    with pytest.raises(SystemExit) as exited:
        refuse_without_tenants(GatewaySettings(_env_file=None))  # type: ignore[call-arg]
    assert exited.value.code == 2
    assert "no tenants configured" in capsys.readouterr().err
    monkeypatch.setenv("CG_TENANTS_FILE", str(tmp_path / "tenants.json"))
    refuse_without_tenants(GatewaySettings(_env_file=None))  # type: ignore[call-arg]

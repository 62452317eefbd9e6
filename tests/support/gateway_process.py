"""``python -m demo`` (what ``make run`` starts) as a subprocess on free loopback ports,
with the vendor sandboxes; what it prints tells a test the demo key and a customer."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.support.demo_banner import banner_text
from tests.support.live_server import free_port

__all__ = ["RunningGateway", "run_gateway"]


@dataclass(frozen=True)
class RunningGateway:
    url: str
    #: the first demo tenant's API key, prefilled in the playground's headers
    key: str
    #: the customer the playground's examples are prefilled with
    customer_id: str


@contextmanager
def run_gateway(log: Path, *, customers: int = 20) -> Iterator[RunningGateway]:
    """Start the gateway, wait until it answers ``/healthz``, stop it afterwards."""
    ports = {v: free_port() for v in ("tallymarks", "omnidesk", "talon", "gateway")}
    env = {
        **os.environ,
        "SANDBOX_CUSTOMERS": str(customers),
        "CG_PORT": str(ports["gateway"]),
        **{f"SANDBOX_{v.upper()}_PORT": str(p) for v, p in ports.items() if v != "gateway"},
    }
    url = f"http://127.0.0.1:{ports['gateway']}"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "demo"], env=env, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        printed = banner_text(_wait_until_up(proc, url, log))
        key = re.search(r"demo API key for tenant '[^']+': (\S+)", printed)
        customer = re.search(r'customer\(id: "([0-9a-f-]{36})"\)', printed)
        assert key is not None, printed
        assert customer is not None, printed
        yield RunningGateway(url, key[1], customer[1])
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def _wait_until_up(proc: subprocess.Popen[bytes], url: str, log: Path) -> str:
    deadline = time.monotonic() + 60
    while True:
        printed = log.read_text(errors="replace")
        if "e.g. query" in printed and _answers(url):
            return printed
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"the gateway did not start:\n{printed[-3000:]}")
        time.sleep(0.2)


def _answers(url: str) -> bool:
    try:
        return httpx.get(f"{url}/healthz", timeout=1).status_code == 200
    except httpx.TransportError:
        return False

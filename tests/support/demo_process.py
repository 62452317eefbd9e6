"""``python -m demo`` (what ``make run`` starts) as a process on free loopback ports, for
the end-to-end tests that drive it from outside: where it listens, and its banner."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import httpx

from tests.support.demo_banner import banner_text
from tests.support.live_server import free_port

__all__ = ["DemoRun", "running_demo"]

VENDORS = ("tallymarks", "omnidesk", "talon")


@dataclass
class DemoRun:
    #: the gateway's base URL (``/graphql`` below it)
    url: str
    #: what it printed at start (the URLs, the demo keys, an example customer)
    banner: str
    sandbox_urls: dict[str, str]

    def banner_value(self, pattern: str) -> str:
        found = re.search(pattern, self.banner)
        assert found is not None, f"{pattern!r} not in the banner"
        return found[1]

    @property
    def acme_key(self) -> str:
        return self.banner_value(r"demo API key for tenant 'acme': (\S+)")


@contextmanager
def running_demo(customers: int, start_timeout: float = 60) -> Iterator[DemoRun]:
    """The demo with ``customers`` per tenant, once ``/healthz`` answers and the banner
    is out; terminated on exit."""
    ports = {v: free_port() for v in (*VENDORS, "gateway")}
    env = {
        **os.environ,
        "SANDBOX_CUSTOMERS": str(customers),
        "CG_PORT": str(ports["gateway"]),
        **{f"SANDBOX_{v.upper()}_PORT": str(ports[v]) for v in VENDORS},
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "demo"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{ports['gateway']}"
    lines: list[str] = []
    try:
        deadline = time.monotonic() + start_timeout
        while not _up(url):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the gateway did not start")
            time.sleep(0.2)
        assert proc.stdout is not None
        while not any("e.g. query" in line for line in lines):
            lines.append(proc.stdout.readline())
        sandboxes = {v: f"http://127.0.0.1:{ports[v]}" for v in VENDORS}
        yield DemoRun(url, banner_text("".join(lines)), sandboxes)
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        if proc.stdout is not None:
            proc.stdout.close()


def _up(url: str) -> bool:
    try:
        return httpx.get(f"{url}/healthz", timeout=1).status_code == 200
    except httpx.TransportError:
        return False

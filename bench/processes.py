"""Start the three vendor sandboxes and the gateway as separate processes on loopback.

The benchmark needs them apart (not ``python -m demo``, which runs the sandboxes in the
gateway's process) so each process's CPU and memory can be read on its own, and the
gateway's event loop never runs vendor code.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from demo.run_secrets import DemoSecrets
from demo.tenants import SandboxUrls, demo_api_keys, demo_tenants
from gateway.settings import tenants_document
from sandbox.demo_world import DemoWorld

VENDORS = ("tallymarks", "omnidesk", "talon")
REPO = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass(frozen=True)
class Process:
    """One started server: its name, pid and base URL."""

    name: str
    popen: subprocess.Popen[bytes]
    url: str

    @property
    def pid(self) -> int:
        return self.popen.pid


def _world_env(world: DemoWorld, customers: int) -> dict[str, str]:
    return {
        "SANDBOX_SEED": str(world.seed),
        "SANDBOX_TENANTS": str(len(world.tenants)),
        "SANDBOX_CUSTOMERS": str(customers),
    }


def _exit_on_sigterm() -> None:
    """A bench killed with SIGTERM (``timeout``, ``kill``) would die without running its
    ``finally`` blocks and leave its gateways and sandboxes serving, skewing every later
    run on the machine: SIGTERM becomes ``SystemExit``, so they are stopped on the way out."""
    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, lambda signum, _frame: sys.exit(128 + signum))


def _launch(name: str, args: list[str], env: Mapping[str, str], log_dir: Path, url: str) -> Process:
    if threading.current_thread() is threading.main_thread():
        _exit_on_sigterm()
    log = (log_dir / f"{name}.log").open("wb")
    popen = subprocess.Popen(
        [sys.executable, *args],
        cwd=REPO,
        env={**os.environ, **env},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    log.close()
    return Process(name, popen, url)


#: a launched process and the path that answers 200 once it serves
Launched = dict[str, tuple[Process, str]]


@contextmanager
def running(launched: Launched, log_dir: Path) -> Iterator[dict[str, Process]]:
    """Waits until every launched process answers its health path (they start in
    parallel: importing the app takes seconds), stops them all on exit."""
    try:
        for process, health in launched.values():
            _wait_healthy(process.popen, process.url + health, log_dir / f"{process.name}.log")
        yield {key: process for key, (process, _) in launched.items()}
    finally:
        for process, _ in launched.values():
            stop(process)


def _wait_healthy(popen: subprocess.Popen[bytes], url: str, log: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if popen.poll() is not None:
            raise RuntimeError(f"{url} exited:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{url} did not become healthy in {timeout} s")


def stop(process: Process) -> None:
    """SIGTERM (uvicorn shuts down gracefully), then SIGKILL if it hangs."""
    if process.popen.poll() is None:
        process.popen.send_signal(signal.SIGTERM)
        try:
            process.popen.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.popen.kill()
            process.popen.wait(timeout=5)


def launch_sandboxes(world: DemoWorld, customers: int, log_dir: Path) -> Launched:
    """Each vendor sandbox in its own process (``python -m sandbox --vendor X``)."""
    launched: Launched = {}
    for vendor in VENDORS:
        port = free_port()
        args = ["-m", "sandbox", "--vendor", vendor, f"--{vendor}-port", str(port)]
        env = _world_env(world, customers)
        url = f"http://127.0.0.1:{port}"
        process = _launch(f"sandbox-{vendor}", args, env, log_dir, url)
        launched[vendor] = (process, "/_sandbox/health")
    return launched


def write_tenants_file(world: DemoWorld, urls: SandboxUrls, path: Path) -> dict[str, str]:
    """The demo tenants at the given sandbox URLs, as ``CG_TENANTS_FILE`` JSON; returns the
    gateway API keys (``{key: tenant}``)."""
    tenants = tenants_document(demo_tenants(world, urls))
    path.write_text(json.dumps(tenants, indent=2), encoding="utf-8")
    return gateway_keys(world)


def gateway_keys(world: DemoWorld) -> dict[str, str]:
    """The benchmark gateways' API keys (``{key: tenant}``): the same on every run, like the
    demo world, and independent of the sandboxes' vendor keys."""
    return demo_api_keys(DemoSecrets.generate([t.key for t in world.tenants], "bench"))


def launch_gateways(
    world: DemoWorld,
    sandbox_urls: dict[str, str],
    configs: Mapping[str, Mapping[str, str]],
    log_dir: Path,
) -> Launched:
    """One ``python -m gateway`` per configuration (``{name: extra environment}``), each on
    the sandboxes, quiet logs, one worker; idle until driven."""
    urls = SandboxUrls(**sandbox_urls)
    tenants_file = log_dir / "tenants.json"
    keys = write_tenants_file(world, urls, tenants_file)
    launched: Launched = {}
    for name, env in configs.items():
        port = free_port()
        gateway_env = {
            "CG_TENANTS_FILE": str(tenants_file),
            "CG_API_KEYS": json.dumps(keys),
            "CG_HOST": "127.0.0.1",
            "CG_PORT": str(port),
            "CG_ACCESS_LOG": "false",
            "CG_LOG_LEVEL": "WARNING",
            **env,
        }
        url = f"http://127.0.0.1:{port}"
        process = _launch(f"gateway-{name}", ["-m", "gateway"], gateway_env, log_dir, url)
        launched[name] = (process, "/healthz")
    return launched

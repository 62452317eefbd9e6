"""Real processes on loopback for scale-out tests: the three sandboxes (``python -m
sandbox``) and gateway replicas (uvicorn with the app factory, configured like production
through ``CG_*`` variables: a tenants file, API keys, the shared Redis)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from demo.run_secrets import DemoSecrets
from demo.tenants import SandboxUrls, demo_api_keys, demo_tenants
from gateway.settings import tenants_document
from sandbox.demo_world import DemoWorld, demo_world
from tests.support.live_server import free_port

__all__ = ["Sandboxes", "gateway_replica", "sandbox_processes", "tenants_file"]

SEED = 7
CUSTOMERS = 30


@dataclass(frozen=True)
class Sandboxes:
    world: DemoWorld
    urls: SandboxUrls

    def admin(self, vendor: str) -> str:
        return str(getattr(self.urls, vendor))


def _wait(url: str, proc: subprocess.Popen[bytes], log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not come up:\n{log.read_text(errors='replace')[-3000:]}")
        time.sleep(0.1)


@contextmanager
def _process(
    args: list[str], env: Mapping[str, str], log: Path, health: str
) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("wb") as out:
        proc = subprocess.Popen(args, env=dict(env), stdout=out, stderr=subprocess.STDOUT)
    try:
        _wait(health, proc, log)
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


@contextmanager
def sandbox_processes(workdir: Path) -> Iterator[Sandboxes]:
    ports = {v: free_port() for v in ("tallymarks", "omnidesk", "talon")}
    env = {
        **os.environ,
        "SANDBOX_SEED": str(SEED),
        "SANDBOX_CUSTOMERS": str(CUSTOMERS),
        **{f"SANDBOX_{v.upper()}_PORT": str(p) for v, p in ports.items()},
    }
    urls = SandboxUrls(**{v: f"http://127.0.0.1:{p}" for v, p in ports.items()})
    log = workdir / "sandboxes.log"
    with _process([sys.executable, "-m", "sandbox"], env, log, f"{urls.talon}/_sandbox/health"):
        yield Sandboxes(demo_world(SEED, 2, CUSTOMERS), urls)


def tenants_file(sandboxes: Sandboxes, path: Path) -> Path:
    """The tenants as ``CG_TENANTS_FILE`` takes them (credentials included)."""
    tenants = tenants_document(demo_tenants(sandboxes.world, sandboxes.urls))
    path.write_text(json.dumps(tenants), encoding="utf-8")
    return path


@dataclass(frozen=True)
class Replica:
    url: str
    key: str
    proc: subprocess.Popen[bytes]


@contextmanager
def gateway_replica(
    sandboxes: Sandboxes, workdir: Path, name: str, **settings: str
) -> Iterator[Replica]:
    port = free_port()
    # the same keys on every replica: a test may send one replica's key to another
    keys = demo_api_keys(DemoSecrets.generate([t.key for t in sandboxes.world.tenants], "replicas"))
    env = {
        **os.environ,
        "CG_TENANTS_FILE": str(tenants_file(sandboxes, workdir / "tenants.json")),
        "CG_API_KEYS": json.dumps(keys),
        "CG_ACCESS_LOG": "false",
        **settings,
    }
    args = [
        sys.executable,
        "-m",
        "uvicorn",
        "gateway.app:create_app",
        "--factory",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "warning",
    ]
    url = f"http://127.0.0.1:{port}"
    with _process(args, env, workdir / f"{name}.log", f"{url}/healthz") as proc:
        yield Replica(url, next(iter(keys)), proc)


@contextmanager
def replicas(
    sandboxes: Sandboxes, workdir: Path, count: int, **settings: str
) -> Iterator[list[Replica]]:
    with ExitStack() as stack:
        yield [
            stack.enter_context(gateway_replica(sandboxes, workdir, f"gateway-{i}", **settings))
            for i in range(count)
        ]

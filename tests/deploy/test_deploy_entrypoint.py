"""The image's command exactly as the Dockerfile states it (ENTRYPOINT + CMD; ``python`` is
this venv's), with the image's ENV, the ConfigMap and the Secret's variables, on vendors
configured by a tenants file (the sandboxes, started here): it answers /healthz, /readyz and
GraphQL from every worker the ConfigMap asks for, and drains on SIGTERM. Only the listen
address, the tenants file, the credentials and Redis's address are the test's own."""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import httpx
import pytest

from demo.tenants import SandboxUrls, demo_tenants
from gateway.settings import tenants_document
from sandbox.demo_world import DemoWorld, demo_world
from sandbox.registry import VENDOR_APPS
from tests.deploy.drain import Running, assert_drains
from tests.deploy.manifests import (
    config_map_env,
    container_command,
    gateway_container,
    image_env,
)
from tests.deploy.processes import (
    graphql_request,
    served_by_workers,
    start_gateway,
    wait_for_workers,
    workers_of,
)
from tests.support.live_server import free_port, live_server

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not Path("/proc/net/tcp").exists(), reason="reads Linux's /proc"),
]

API_KEY = "deploy-test-key"


@contextmanager
def vendors(world: DemoWorld) -> Iterator[dict[str, str]]:
    with ExitStack() as stack:
        yield {v: stack.enter_context(live_server(app(world))) for v, app in VENDOR_APPS.items()}


@contextmanager
def redis_url(tmp_path: Path) -> Iterator[str | None]:
    """A real Redis when this machine has one (the ConfigMap configures one), else none."""
    if shutil.which("redis-server") is None:
        yield None
        return
    from tests.support.redis_server import redis_server

    with redis_server(tmp_path) as server:
        yield server.url


def _tenants_file(world: DemoWorld, urls: dict[str, str], path: Path) -> Path:
    tenants = tenants_document(demo_tenants(world, SandboxUrls(**urls)))
    path.write_text(json.dumps(tenants), encoding="utf-8")
    return path


def _container_env(tenants_file: Path, port: int, redis: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CG_", "SANDBOX_"))}
    env |= image_env() | config_map_env()
    secrets = {"CG_API_KEYS": json.dumps({API_KEY: "acme"}), "CG_JWT__SECRET": "s" * 40}
    for item in gateway_container()["env"]:
        env[item["name"]] = secrets[item["name"]]
    env |= {"CG_HOST": "127.0.0.1", "CG_PORT": str(port), "CG_TENANTS_FILE": str(tenants_file)}
    if redis is None:
        del env["CG_REDIS__URL"]
    else:
        env["CG_REDIS__URL"] = redis
    return env


def test_the_image_command_serves_with_the_deployment_configuration(tmp_path: Path) -> None:
    world = demo_world(customers=20)
    customer = world.tenants[0].customers[0]
    command = container_command()
    assert command[0] == "python"
    port = free_port()

    with vendors(world) as urls, redis_url(tmp_path) as redis:
        env = _container_env(_tenants_file(world, urls, tmp_path / "tenants.json"), port, redis)
        with start_gateway(
            [sys.executable, *command[1:]],
            env,
            port,
            tmp_path / "gateway.log",
            ready_line="Customer Graph on",
        ) as gateway:
            ready = httpx.get(f"{gateway.url}/readyz", timeout=10)
            count = int(env["CG_WORKERS"])
            supervisor = gateway.proc.pid
            if count > 1:
                wait_for_workers(supervisor, count)
            query = f'{{ customer(id: "{customer.customer_id}") {{ customerId email }} }}'
            answers = served_by_workers(
                port,
                (lambda: workers_of(supervisor)) if count > 1 else (lambda: [supervisor]),
                count,
                graphql_request(query, API_KEY),
                supervisor=supervisor if count > 1 else None,
            )
            # another customer for the drain: nothing about them is cached yet
            running = Running(gateway, urls, API_KEY, world.tenants[0].customers[1].customer_id)

            assert "embedded" not in gateway.printed()
            assert httpx.get(f"{gateway.url}/healthz").json() == {"status": "ok"}
            assert ready.status_code == 200, ready.text
            assert ready.json()["status"] == "ready"
            assert len(answers) == count
            for body in answers.values():
                found = json.loads(body)["data"]["customer"]
                assert found == {"customerId": customer.customer_id, "email": customer.email}
            assert_drains(running, int(env["CG_GRACEFUL_TIMEOUT"]))

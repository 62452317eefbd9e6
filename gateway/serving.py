"""How ``python -m gateway serve`` runs: one process, or several uvicorn worker processes on
one port, the embedded vendor sandboxes started once, and a graceful drain on SIGTERM.

- ``CG_WORKERS`` (1): with more than one, uvicorn's supervisor spawns that many processes,
  each building its app with :func:`create_worker_app` from the same environment.
- ``CG_GRACEFUL_TIMEOUT`` (20 s): after SIGTERM/SIGINT the listening socket closes, in-flight
  requests get this long to finish, then the app's lifespan closes the vendor pools. Keep it
  below the orchestrator's grace period (Kubernetes: ``terminationGracePeriodSeconds``).
- ``CG_EMBEDDED`` (true): with no tenant configured, start the sandboxes and serve on them;
  false (or ``--no-sandboxes``) refuses to start instead, so a production container without
  its tenants fails loudly rather than serving demo data.
- ``CG_HEADER_READ_TIMEOUT`` (10 s) and ``CG_BODY_READ_TIMEOUT`` (30 s): how long a client may
  take to send a request's headers and its body (:mod:`gateway.slow_clients`).
- ``CG_DEMO_SEED``: the embedded demo's secrets are random on every run (printed at start;
  handed to the worker processes through the environment); with a seed they repeat.

No cap on concurrent connections (uvicorn's ``limit_concurrency``): it counts idle and slow
connections too, so it would turn slow clients into 503s for everyone, while the read
timeouts above already bound how long any connection is held.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
import threading
import time
from collections.abc import Coroutine, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import uvicorn
from fastapi import FastAPI
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict
from starlette.types import ASGIApp
from uvicorn.config import STARTUP_FAILURE
from uvicorn.supervisors import Multiprocess

from gateway.demo_secrets import DemoSecrets
from gateway.settings import GatewaySettings
from gateway.slow_clients import BodyReadTimeout, EdgeConfig

# the app is imported where it is built: a supervisor never needs it, and a refusal to
# start is quick; the sandboxes are imported only when they are served
if TYPE_CHECKING:
    from gateway.embedded import SandboxUrls
    from sandbox.demo_world import DemoWorld

__all__ = [
    "WORKER_APP",
    "EmbeddedDemo",
    "ServingSettings",
    "create_worker_app",
    "refuse_without_tenants",
    "serve",
]

#: the factory every worker process imports (uvicorn spawns workers, it cannot pickle apps)
WORKER_APP = "gateway.serving:create_worker_app"
#: seconds the embedded sandboxes have to start before the workers are spawned
SANDBOX_START_TIMEOUT = 30.0
#: the supervisor's demo secrets, for its worker processes (not a setting)
DEMO_SECRETS_HANDOVER = "_CG_EMBEDDED_DEMO_SECRETS"


class ServingSettings(BaseSettings):
    """Process-level settings; the app's own are :class:`~gateway.settings.GatewaySettings`."""

    model_config = SettingsConfigDict(env_prefix="CG_", env_file=".env", extra="ignore")

    #: gateway processes sharing the port; 1 serves everything in this process
    workers: int = Field(default=1, ge=1)
    #: seconds in-flight requests may take to finish after SIGTERM before they are cancelled
    graceful_timeout: int = Field(default=20, ge=0)
    #: with no tenant configured, serve on the embedded sandboxes (false: refuse to start)
    embedded: bool = True
    #: seconds a connection may take to send a request's headers (then 408 and closed)
    header_read_timeout: float = Field(default=10.0, gt=0)
    #: seconds a request's body may take to arrive once the app reads it (then 408)
    body_read_timeout: float = Field(default=30.0, gt=0)
    #: repeatable embedded-demo secrets (tests, benchmarks); unset: random on every run
    demo_seed: str | None = Field(default=None, min_length=1)


def refuse_without_tenants(settings: GatewaySettings, serving: ServingSettings) -> None:
    """Exit with a message naming the settings when there is nothing to serve."""
    if settings.embedded and not serving.embedded:
        raise SystemExit(
            "Customer Graph: no tenants configured (set CG_TENANTS_FILE or CG_TENANTS) and the"
            " embedded sandboxes are disabled (--no-sandboxes or CG_EMBEDDED=false);"
            " refusing to start"
        )


@dataclass(frozen=True)
class EmbeddedDemo:
    """The sandboxes' demo world (its data from the ``SANDBOX_*`` environment), this run's
    secrets (its credentials) and where the sandboxes listen."""

    world: DemoWorld
    secrets: DemoSecrets
    #: the secrets come from ``CG_DEMO_SEED`` (another shell can recompute them)
    seeded: bool
    host: str
    ports: dict[str, int]

    @classmethod
    def from_env(cls, serving: ServingSettings) -> EmbeddedDemo:
        """Random secrets, ``CG_DEMO_SEED``'s, or, in a worker process, the supervisor's."""
        from gateway.embedded import with_secrets
        from sandbox.__main__ import DEFAULT_PORTS
        from sandbox.demo_world import demo_world_from_env

        ports = {
            v: int(os.environ.get(f"SANDBOX_{v.upper()}_PORT", p)) for v, p in DEFAULT_PORTS.items()
        }
        world = demo_world_from_env()
        handed = os.environ.get(DEMO_SECRETS_HANDOVER)
        if handed:
            secrets = DemoSecrets.from_json(handed)
        else:
            secrets = DemoSecrets.generate([t.key for t in world.tenants], serving.demo_seed)
        host = os.environ.get("SANDBOX_HOST", "127.0.0.1")
        seeded = serving.demo_seed is not None
        return cls(with_secrets(world, secrets), secrets, seeded, host, ports)

    @property
    def urls(self) -> SandboxUrls:
        from gateway.embedded import SandboxUrls

        return SandboxUrls(**{v: f"http://{self.host}:{p}" for v, p in self.ports.items()})

    def settings(self, settings: GatewaySettings) -> GatewaySettings:
        """The demo's bearer-token secret unless one is configured."""
        from gateway.embedded import demo_jwt_settings

        if settings.jwt.enabled:
            return settings
        return settings.model_copy(update={"jwt": demo_jwt_settings(self.secrets)})

    def app(self, settings: GatewaySettings) -> FastAPI:
        from gateway.app import create_app
        from gateway.embedded import demo_api_keys, demo_read_only_keys, demo_tenants

        keys = demo_api_keys(self.secrets)
        return create_app(
            self.settings(settings),
            tenants=demo_tenants(self.world, self.urls),
            api_keys={**keys, **demo_read_only_keys(self.secrets)},
            playground_headers={"X-API-Key": next(iter(keys))},
            playground_variables={
                "customerId": self.world.tenants[0].customers[0].customer_id,
                "sessionId": "demo-cart-1",
                "key": "demo-update-1",
                "search": "de Vries",
            },
        )

    def sandbox_servers(self) -> list[uvicorn.Server]:
        from sandbox.registry import VENDOR_APPS

        return [
            _Server(
                uvicorn.Config(
                    VENDOR_APPS[vendor](self.world), host=self.host, port=port, log_level="warning"
                )
            )
            for vendor, port in self.ports.items()
        ]

    def banner(self, settings: GatewaySettings, host: str, port: int) -> str:
        """What ``make run`` prints: where everything is and the demo credentials."""
        from gateway.embedded import demo_api_keys, demo_auth_lines

        origin = "from CG_DEMO_SEED" if self.seeded else "random for this run"
        lines = [
            f"Customer Graph on the embedded vendor sandboxes (demo data seed {self.world.seed},"
            f" secrets {origin})"
        ]
        lines += [f"  sandbox {vendor:<11} {url}/docs" for vendor, url in vars(self.urls).items()]
        lines += self._vendor_credential_lines()
        lines.append(f"  playground  http://{host}:{port}/graphql")
        lines += [
            f"  demo API key for tenant {tenant!r}: {key}  (header X-API-Key)"
            for key, tenant in demo_api_keys(self.secrets).items()
        ]
        jwt = self.settings(settings).jwt
        repeatable = self.seeded or settings.jwt.enabled
        lines += demo_auth_lines(self.secrets, jwt, repeatable=repeatable)
        sample = self.world.tenants[0].customers[0].customer_id
        lines.append(f'  e.g. query {{ customer(id: "{sample}") {{ displayName email }} }}')
        return "\n".join(lines)

    def _vendor_credential_lines(self) -> list[str]:
        """The sandboxes' credentials, for calling a sandbox directly."""
        lines = []
        for t in self.world.tenants:
            lines += [
                f"  sandbox credentials of tenant {t.key!r}:",
                f"    tallymarks  x-tenant-id: {t.tallymarks_tenant_id}"
                f"  x-api-key: {t.tallymarks_api_key}  x-api-secret: {t.tallymarks_api_secret}",
                f"    omnidesk    apiKey: {t.omnidesk_api_key}  (brand_id {t.omnidesk_brand_id})",
                f"    talon       Authorization: ApiKey-v1 {t.talon_api_key}",
            ]
        return lines


def create_worker_app() -> ASGIApp:
    """uvicorn's app factory in each worker: the app one process would serve, from the
    environment the supervisor passed on (its demo secrets included)."""
    from gateway.app import create_app

    settings, serving = GatewaySettings(), ServingSettings()
    refuse_without_tenants(settings, serving)
    if settings.embedded:
        return _guarded(EmbeddedDemo.from_env(serving).app(settings), serving)
    return _guarded(create_app(settings), serving)


def _guarded(app: ASGIApp, serving: ServingSettings) -> ASGIApp:
    """The app behind the body read timeout (the header one is in the protocol)."""
    return BodyReadTimeout(app, serving.body_read_timeout)


def serve(
    settings: GatewaySettings,
    serving: ServingSettings,
    host: str,
    port: int,
    *,
    sandboxes: bool = True,
) -> None:
    """Serve until SIGTERM/SIGINT, then drain; returns normally after a clean shutdown."""
    if not sandboxes:
        serving = serving.model_copy(update={"embedded": False})
    refuse_without_tenants(settings, serving)
    demo = EmbeddedDemo.from_env(serving) if settings.embedded else None
    if demo is not None:
        banner, sandbox_servers = demo.banner(settings, host, port), demo.sandbox_servers()
    else:
        banner, sandbox_servers = f"Customer Graph on http://{host}:{port}/graphql", []
    if serving.workers == 1:
        from gateway.app import create_app

        app = demo.app(settings) if demo is not None else create_app(settings)
        print(banner, flush=True)
        _run(_serve_in_process(_guarded(app, serving), host, port, serving, sandbox_servers))
        return
    if demo is not None:  # the workers must accept the keys printed here
        os.environ[DEMO_SECRETS_HANDOVER] = demo.secrets.to_json()
    if not settings.redis.enabled:
        print(
            f"note: {serving.workers} workers without CG_REDIS__URL: each keeps its own cache,"
            " so a write through one is seen by the others only when their entries expire",
            flush=True,
        )
    with _sandboxes_in_thread(sandbox_servers):
        print(banner, flush=True)
        _serve_workers(host, port, serving)


def _run(main: Coroutine[Any, Any, None]) -> None:
    """``asyncio.run`` on uvloop when it is installed (as uvicorn's own runner would)."""
    try:
        import uvloop
    except ImportError:  # pragma: no cover - a dependency; the stdlib loop also works
        asyncio.run(main)
        return
    uvloop.run(main)


class _Server(uvicorn.Server):
    """A uvicorn server that leaves signals alone: the process has one handler for all its
    servers, so the gateway drains before the sandboxes it calls stop, and the process
    exits 0 after a requested shutdown instead of re-raising the signal."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


def _gateway_config(
    app: ASGIApp | str, host: str, port: int, serving: ServingSettings
) -> uvicorn.Config:
    return EdgeConfig(
        app,
        header_read_timeout=serving.header_read_timeout,
        host=host,
        port=port,
        log_level="info",
        access_log=False,  # the app logs requests itself (CG_ACCESS_LOG), with request ids
        timeout_graceful_shutdown=serving.graceful_timeout,
        factory=isinstance(app, str),
        workers=serving.workers,
    )


async def _serve_in_process(
    app: ASGIApp,
    host: str,
    port: int,
    serving: ServingSettings,
    sandboxes: list[uvicorn.Server],
) -> None:
    gateway = _Server(_gateway_config(app, host, port, serving))
    loop = asyncio.get_running_loop()

    def stop() -> None:
        if gateway.should_exit:  # a second signal: stop waiting for requests
            gateway.force_exit = True
        gateway.should_exit = True

    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop)
    running = [asyncio.create_task(s.serve()) for s in sandboxes]
    try:
        await gateway.serve()
    finally:
        for server in sandboxes:
            server.should_exit = True
        await asyncio.gather(*running)
    if not gateway.started:
        sys.exit(STARTUP_FAILURE)


@contextlib.contextmanager
def _sandboxes_in_thread(servers: list[uvicorn.Server]) -> Iterator[None]:
    """Run the sandboxes in a thread of the supervisor while the workers serve; they stop
    after the last worker has drained."""
    if not servers:
        yield
        return

    async def run_all() -> None:
        await asyncio.gather(*(s.serve() for s in servers))

    thread = threading.Thread(target=asyncio.run, args=(run_all(),), daemon=True)
    thread.start()
    deadline = time.monotonic() + SANDBOX_START_TIMEOUT
    while not all(s.started for s in servers):
        if not thread.is_alive() or time.monotonic() > deadline:
            raise SystemExit("Customer Graph: the embedded sandboxes did not start")
        time.sleep(0.05)
    try:
        yield
    finally:
        for server in servers:
            server.should_exit = True
        thread.join(timeout=10)


class _Supervisor(Multiprocess):
    """uvicorn's supervisor, closing its own copy of the listening socket as it stops the
    workers: otherwise the kernel keeps queueing connections that no worker accepts any
    more while they drain."""

    def terminate_all(self) -> None:
        for sock in self.sockets:
            sock.close()
        super().terminate_all()


def _serve_workers(host: str, port: int, serving: ServingSettings) -> None:
    """uvicorn's supervisor: binds the port once, spawns ``workers`` processes, forwards
    SIGTERM to each (each drains for ``graceful_timeout``) and waits for them."""
    config = _gateway_config(WORKER_APP, host, port, serving)
    sock = config.bind_socket()
    supervisor = _Supervisor(config, sockets=[sock])
    try:
        supervisor.run()
    finally:
        sock.close()
    if any(p.exitcode == STARTUP_FAILURE for p in supervisor.processes):
        sys.exit(STARTUP_FAILURE)

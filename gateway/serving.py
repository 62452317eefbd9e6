"""How ``python -m gateway serve`` runs: one process, or several uvicorn worker processes on
one port, and a graceful drain on SIGTERM. Another entry point can run servers of its own
beside the gateway's (``python -m demo`` runs the vendor sandboxes so) with :func:`serve`.

- ``CG_WORKERS`` (1): with more than one, uvicorn's supervisor spawns that many processes,
  each building its app with the worker factory (:func:`create_worker_app`) from the same
  environment.
- ``CG_GRACEFUL_TIMEOUT`` (20 s): after SIGTERM/SIGINT the listening socket closes, in-flight
  requests get this long to finish, then the app's lifespan closes the vendor pools. Keep it
  below the orchestrator's grace period (Kubernetes: ``terminationGracePeriodSeconds``).
- ``CG_HEADER_READ_TIMEOUT`` (10 s) and ``CG_BODY_READ_TIMEOUT`` (30 s): how long a client may
  take to send a request's headers and its body (:mod:`gateway.slow_clients`).

Without a tenant (``CG_TENANTS`` / ``CG_TENANTS_FILE``) the gateway refuses to start: it
never serves demo data by itself (``make run`` / ``python -m demo`` does that).

No cap on concurrent connections (uvicorn's ``limit_concurrency``): it counts idle and slow
connections too, so it would turn slow clients into 503s for everyone, while the read
timeouts above already bound how long any connection is held.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import sys
import threading
import time
from collections.abc import Callable, Coroutine, Iterator, Sequence
from typing import Any

import uvicorn
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict
from starlette.types import ASGIApp
from uvicorn.config import STARTUP_FAILURE
from uvicorn.supervisors import Multiprocess

from gateway.settings import GatewaySettings
from gateway.slow_clients import BodyReadTimeout, EdgeConfig

# the app is imported where it is built: a supervisor never needs it, and a refusal to
# start is quick

__all__ = [
    "WORKER_APP",
    "CompanionServer",
    "ServingSettings",
    "create_worker_app",
    "guarded",
    "refuse_without_tenants",
    "serve",
]

#: the factory every worker process imports (uvicorn spawns workers, it cannot pickle apps)
WORKER_APP = "gateway.serving:create_worker_app"
#: seconds the companion servers have to start before the workers are spawned
COMPANION_START_TIMEOUT = 30.0


class ServingSettings(BaseSettings):
    """Process-level settings; the app's own are :class:`~gateway.settings.GatewaySettings`."""

    model_config = SettingsConfigDict(env_prefix="CG_", env_file=".env", extra="ignore")

    #: gateway processes sharing the port; 1 serves everything in this process
    workers: int = Field(default=1, ge=1)
    #: seconds in-flight requests may take to finish after SIGTERM before they are cancelled
    graceful_timeout: int = Field(default=20, ge=0)
    #: seconds a connection may take to send a request's headers (then 408 and closed)
    header_read_timeout: float = Field(default=10.0, gt=0)
    #: seconds a request's body may take to arrive once the app reads it (then 408)
    body_read_timeout: float = Field(default=30.0, gt=0)


def refuse_without_tenants(settings: GatewaySettings) -> None:
    """Exit with a message naming the settings when there is nothing to serve."""
    if not settings.has_tenants:
        raise SystemExit(
            "Customer Graph: no tenants configured (set CG_TENANTS_FILE or CG_TENANTS);"
            " refusing to start. To try it on the vendor sandboxes with demo data:"
            " make run (python -m demo)"
        )


def create_worker_app() -> ASGIApp:
    """uvicorn's app factory in each worker: the app one process would serve, from the
    environment the supervisor passed on."""
    from gateway.app import create_app

    settings, serving = GatewaySettings(), ServingSettings()
    refuse_without_tenants(settings)
    return guarded(create_app(settings), serving)


def guarded(app: ASGIApp, serving: ServingSettings) -> ASGIApp:
    """The app behind the body read timeout (the header one is in the protocol)."""
    return BodyReadTimeout(app, serving.body_read_timeout)


def serve(
    settings: GatewaySettings,
    serving: ServingSettings,
    host: str,
    port: int,
    *,
    build_app: Callable[[], ASGIApp] | None = None,
    worker_app: str = WORKER_APP,
    banner: str | None = None,
    companions: Sequence[uvicorn.Server] = (),
) -> None:
    """Serve until SIGTERM/SIGINT, then drain; returns normally after a clean shutdown.

    ``build_app`` makes the app of a single process (default: the configured tenants'),
    ``worker_app`` names the factory each worker imports; ``companions`` (made with
    :class:`CompanionServer`) serve beside the gateway and stop after it has drained.
    """
    banner = banner or f"Customer Graph on http://{host}:{port}/graphql"
    if serving.workers == 1:
        app: ASGIApp
        if build_app is None:
            from gateway.app import create_app

            app = create_app(settings)
        else:
            app = build_app()
        print(banner, flush=True)
        _run(_serve_in_process(guarded(app, serving), host, port, serving, companions))
        return
    if not settings.redis.enabled:
        print(
            f"note: {serving.workers} workers without CG_REDIS__URL: each keeps its own cache,"
            " so a write through one is seen by the others only when their entries expire",
            flush=True,
        )
    with _companions_in_thread(companions):
        print(banner, flush=True)
        _serve_workers(worker_app, host, port, serving)


def _run(main: Coroutine[Any, Any, None]) -> None:
    """``asyncio.run`` on uvloop when it is installed (as uvicorn's own runner would)."""
    try:
        import uvloop
    except ImportError:  # pragma: no cover - a dependency; the stdlib loop also works
        asyncio.run(main)
        return
    uvloop.run(main)


class CompanionServer(uvicorn.Server):
    """A uvicorn server that leaves signals alone: the process has one handler for all its
    servers, so the gateway drains before the servers it calls (the demo's sandboxes) stop,
    and the process exits 0 after a requested shutdown instead of re-raising the signal."""

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
    companions: Sequence[uvicorn.Server],
) -> None:
    gateway = CompanionServer(_gateway_config(app, host, port, serving))
    loop = asyncio.get_running_loop()

    def stop() -> None:
        if gateway.should_exit:  # a second signal: stop waiting for requests
            gateway.force_exit = True
        gateway.should_exit = True

    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop)
    running = [asyncio.create_task(s.serve()) for s in companions]
    try:
        await gateway.serve()
    finally:
        for server in companions:
            server.should_exit = True
        await asyncio.gather(*running)
    if not gateway.started:
        sys.exit(STARTUP_FAILURE)


@contextlib.contextmanager
def _companions_in_thread(servers: Sequence[uvicorn.Server]) -> Iterator[None]:
    """Run the companion servers in a thread of the supervisor while the workers serve;
    they stop after the last worker has drained."""
    if not servers:
        yield
        return

    async def run_all() -> None:
        await asyncio.gather(*(s.serve() for s in servers))

    thread = threading.Thread(target=asyncio.run, args=(run_all(),), daemon=True)
    thread.start()
    deadline = time.monotonic() + COMPANION_START_TIMEOUT
    while not all(s.started for s in servers):
        if not thread.is_alive() or time.monotonic() > deadline:
            raise SystemExit("Customer Graph: the servers beside the gateway did not start")
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


def _serve_workers(worker_app: str, host: str, port: int, serving: ServingSettings) -> None:
    """uvicorn's supervisor: binds the port once, spawns ``workers`` processes (each builds
    its app with the factory ``worker_app`` names), forwards SIGTERM to each (each drains
    for ``graceful_timeout``) and waits for them."""
    config = _gateway_config(worker_app, host, port, serving)
    sock = config.bind_socket()
    supervisor = _Supervisor(config, sockets=[sock])
    try:
        supervisor.run()
    finally:
        sock.close()
    if any(p.exitcode == STARTUP_FAILURE for p in supervisor.processes):
        sys.exit(STARTUP_FAILURE)

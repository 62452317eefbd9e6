"""How ``python -m gateway serve`` runs: one process, or several uvicorn worker processes on
one port, and a graceful drain on SIGTERM. Another entry point can run servers of its own
beside the gateway's (``python -m demo`` runs the vendor sandboxes so) with :func:`serve`.

- ``CG_WORKERS`` (1): with more than one, uvicorn's supervisor spawns that many processes,
  each building its app with the worker factory (:func:`create_worker_app`) from the same
  environment.
- ``CG_GRACEFUL_TIMEOUT`` (20 s): after SIGTERM/SIGINT the listening socket closes, in-flight
  requests get this long to finish, then the app's lifespan closes the vendor pools. Keep it
  below the orchestrator's grace period (Kubernetes: ``terminationGracePeriodSeconds``).
  A request still running then is answered 503 ``SHUTTING_DOWN`` with ``Retry-After``
  (:mod:`gateway.observability.shutdown`), not uvicorn's plain-text 500.
- ``PROMETHEUS_MULTIPROC_DIR``: when set, emptied at start with one worker as with several
  (:mod:`gateway.observability.multiprocess`).
- ``CG_HEADER_READ_TIMEOUT`` (10 s) and ``CG_BODY_READ_TIMEOUT`` (30 s): how long a client may
  take to send a request's headers and its body (:mod:`gateway.slow_clients`).
- ``CG_LOG_FORMAT``: the process's every line, uvicorn's in each worker included, goes through
  the gateway's formatter (:func:`~gateway.observability.json_logs.process_log_config`); the
  servers beside the gateway log their warnings only, and stop 1 s after it has drained.

Without a tenant (``CG_TENANTS`` / ``CG_TENANTS_FILE``) the gateway refuses to start: it
never serves demo data by itself (``make run`` / ``python -m demo`` does that).

Once the app has started, the process's startup heap is frozen out of the garbage
collector's reach (:mod:`gateway.memory.collector`): full collections walking it were the
p99 at one client.

No cap on concurrent connections (uvicorn's ``limit_concurrency``): it counts idle and slow
connections too, so it would turn slow clients into 503s for everyone, while the read
timeouts above already bound how long any connection is held.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
import threading
import time
from collections.abc import Callable, Coroutine, Iterator, Mapping, Sequence
from typing import Any

import uvicorn
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict
from starlette.types import ASGIApp
from uvicorn.config import STARTUP_FAILURE
from uvicorn.supervisors import Multiprocess

from gateway.config_errors import refuse
from gateway.memory.collector import FreezeAfterStartup
from gateway.observability.json_logs import (
    JsonFormatter,
    configure_process_logging,
    quiet_lifecycle,
)
from gateway.settings import GatewaySettings
from gateway.slow_clients import BodyReadTimeout, EdgeConfig

# the app is imported where it is built: a supervisor never needs it, and a refusal to
# start is quick

__all__ = [
    "WORKER_APP",
    "CompanionServer",
    "ServingSettings",
    "announce",
    "create_worker_app",
    "guarded",
    "refuse_without_tenants",
    "serve",
]

#: the factory every worker process imports (uvicorn spawns workers, it cannot pickle apps)
WORKER_APP = "gateway.serving:create_worker_app"
#: seconds the companion servers have to start before the workers are spawned
COMPANION_START_TIMEOUT = 30.0
#: seconds a companion's requests get to finish once the gateway has drained: what is
#: still running there was abandoned by the gateway (a hung vendor call), so nothing waits
COMPANION_STOP_TIMEOUT = 1
#: seconds the app's lifespan has to close its pools after a forced exit
FORCED_LIFESPAN_TIMEOUT = 5.0

log = logging.getLogger("gateway.serving")


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
    #: with workers: seconds a worker may take to answer the supervisor's health check (and
    #: to finish starting) before it is killed and replaced. uvicorn's 5 s is shorter than a
    #: cold start on a loaded machine (imports, the schema, the clients' pools): workers
    #: were killed while starting, again and again, and the port was served by none.
    worker_healthcheck_timeout: int = Field(default=30, ge=1)


def refuse_without_tenants(settings: GatewaySettings) -> None:
    """Nothing to serve is a configuration mistake like the others: one line naming the
    settings, exit status 2 (:func:`~gateway.config_errors.refuse`)."""
    if not settings.has_tenants:
        refuse(
            [
                "no tenants configured (set CG_TENANTS_FILE or CG_TENANTS); refusing to"
                " start. To try it on the vendor sandboxes with demo data: make run"
                " (python -m demo)"
            ]
        )


def create_worker_app() -> ASGIApp:
    """uvicorn's app factory in each worker: the app one process would serve, from the
    environment the supervisor passed on."""
    from gateway.app import create_app

    settings, serving = GatewaySettings(), ServingSettings()
    refuse_without_tenants(settings)
    return guarded(create_app(settings), serving)


def guarded(app: ASGIApp, serving: ServingSettings) -> ASGIApp:
    """The app behind the body read timeout (the header one is in the protocol), its
    startup heap frozen once its lifespan has started (:mod:`gateway.memory.collector`)."""
    return FreezeAfterStartup(BodyReadTimeout(app, serving.body_read_timeout))


def serve(
    settings: GatewaySettings,
    serving: ServingSettings,
    host: str,
    port: int,
    *,
    build_app: Callable[[], ASGIApp] | None = None,
    worker_app: str = WORKER_APP,
    banner: str | None = None,
    banner_fields: Mapping[str, object] | None = None,
    companions: Sequence[uvicorn.Server] = (),
) -> None:
    """Serve until SIGTERM/SIGINT, then drain; returns normally after a clean shutdown.

    ``build_app`` makes the app of a single process (default: the configured tenants'),
    ``worker_app`` names the factory each worker imports; ``companions`` (made with
    :class:`CompanionServer`) serve beside the gateway and stop after it has drained;
    ``banner_fields`` go into the banner's JSON record (:func:`announce`).
    """
    banner = banner or f"Customer Graph on http://{host}:{port}/graphql"
    log_config = configure_process_logging(settings.log_format, settings.log_level)
    if serving.workers == 1:
        # an operator's metrics directory is used by one process too: this run's files only
        from gateway.observability.multiprocess import empty_named_dir

        empty_named_dir()
        app: ASGIApp
        if build_app is None:
            from gateway.app import create_app

            app = create_app(settings)
        else:
            app = build_app()
        announce(banner, settings, banner_fields)
        config = _gateway_config(guarded(app, serving), host, port, serving, log_config)
        _run(_serve_in_process(config, companions))
        return
    if not settings.redis.enabled:
        log.warning(
            "%d workers without CG_REDIS__URL: each keeps its own cache, so a write through"
            " one is seen by the others only when their entries expire",
            serving.workers,
        )
    with _companions_in_thread(companions):
        announce(banner, settings, banner_fields)
        _serve_workers(worker_app, host, port, serving, log_config)


def announce(
    banner: str, settings: GatewaySettings, fields: Mapping[str, object] | None = None
) -> None:
    """Print what a person starting the server reads first (where it listens, the demo's
    keys) on stdout: as it is with ``CG_LOG_FORMAT=text``, as one JSON record (its first
    line the ``message``, all of it the ``banner`` field, and ``fields`` for programs) with
    ``json``, so that every line the process writes is JSON."""
    if settings.log_format == "text":
        print(banner, flush=True)
        return
    first = banner.splitlines()[0] if banner else ""
    record = logging.makeLogRecord(
        {"name": log.name, "levelno": logging.INFO, "levelname": "INFO", "msg": first}
    )
    record.banner = banner
    for key, value in (fields or {}).items():
        setattr(record, key, value)
    print(JsonFormatter().format(record), flush=True)


def _run(main: Coroutine[Any, Any, None]) -> None:
    """``asyncio.run`` on uvloop when it is installed (as uvicorn's own runner would)."""
    try:
        import uvloop
    except ImportError:  # pragma: no cover - a dependency; the stdlib loop also works
        asyncio.run(main)
        return
    uvloop.run(main)


class _SignalFreeServer(uvicorn.Server):
    """A uvicorn server that leaves signals alone: the process has one handler for all its
    servers, so the gateway drains before the servers it calls (the demo's sandboxes) stop,
    and the process exits 0 after a requested shutdown instead of re-raising the signal."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield

    async def shutdown(self, sockets: list[Any] | None = None) -> None:
        """uvicorn's, and on a forced exit (a second signal) the requests still running
        cancelled, then the app's lifespan shutdown, which uvicorn skips: the lifespan task
        would be cancelled as the loop closes, logging a ``CancelledError`` traceback, and
        the vendor pools would not close."""
        await super().shutdown(sockets)
        lifespan = getattr(self, "lifespan", None)
        if not self.force_exit or lifespan is None or self.config.lifespan == "off":
            return
        running = list(self.server_state.tasks)  # requests first: the pools close next
        for task in running:
            task.cancel(msg="forced exit")
        if running:
            await asyncio.wait(running, timeout=FORCED_LIFESPAN_TIMEOUT)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(lifespan.shutdown(), FORCED_LIFESPAN_TIMEOUT)


class CompanionServer(_SignalFreeServer):
    """A server beside the gateway (the demo's sandboxes): signal-free, its startup and
    shutdown lines left out of the log (the gateway's say the same; its warnings stay), and
    stopped at once after the gateway drained (:data:`COMPANION_STOP_TIMEOUT`). Give its
    config ``log_config=None`` so that it leaves the process's logging alone."""

    def __init__(self, config: uvicorn.Config) -> None:
        if config.timeout_graceful_shutdown is None:
            config.timeout_graceful_shutdown = COMPANION_STOP_TIMEOUT
        super().__init__(config)

    async def serve(self, sockets: list[Any] | None = None) -> None:
        with quiet_lifecycle():
            await super().serve(sockets)


def _gateway_config(
    app: ASGIApp | str,
    host: str,
    port: int,
    serving: ServingSettings,
    log_config: dict[str, Any],
) -> uvicorn.Config:
    return EdgeConfig(
        app,
        header_read_timeout=serving.header_read_timeout,
        host=host,
        port=port,
        log_config=log_config,  # every line through the gateway's formatter, in each worker
        log_level=None,  # the log config's
        access_log=False,  # the app logs requests itself (CG_ACCESS_LOG), with request ids
        timeout_graceful_shutdown=serving.graceful_timeout,
        factory=isinstance(app, str),
        workers=serving.workers,
        timeout_worker_healthcheck=serving.worker_healthcheck_timeout,
    )


async def _serve_in_process(config: uvicorn.Config, companions: Sequence[uvicorn.Server]) -> None:
    gateway = _SignalFreeServer(config)
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

    def keep_subprocess_alive(self) -> None:
        """uvicorn's, then the metrics of a worker it replaced are forgotten (its gauges)."""
        from gateway.observability.multiprocess import worker_gone

        before = {p.pid for p in self.processes}
        super().keep_subprocess_alive()
        for pid in before - {p.pid for p in self.processes}:
            if pid is not None:
                worker_gone(pid)


def _serve_workers(
    worker_app: str, host: str, port: int, serving: ServingSettings, log_config: dict[str, Any]
) -> None:
    """uvicorn's supervisor: binds the port once, spawns ``workers`` processes (each builds
    its app with the factory ``worker_app`` names), forwards SIGTERM to each (each drains
    for ``graceful_timeout``) and waits for them."""
    # the workers' metrics go to one directory, so any of them can answer for all
    from gateway.observability.multiprocess import worker_metrics_dir

    config = _gateway_config(worker_app, host, port, serving, log_config)
    sock = config.bind_socket()
    supervisor = _Supervisor(config, sockets=[sock])
    try:
        with worker_metrics_dir():
            supervisor.run()
    finally:
        sock.close()
    if any(p.exitcode == STARTUP_FAILURE for p in supervisor.processes):
        sys.exit(STARTUP_FAILURE)

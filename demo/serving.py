"""How ``python -m demo`` (``make run``) runs: the three vendor sandboxes on loopback with
the demo world, and the gateway configured for them, served by the gateway's own serving
code (:mod:`gateway.serving`: ``CG_WORKERS``, graceful drain, read timeouts).

- the sandboxes run once: in the gateway's process, or in a thread of the supervisor when
  ``CG_WORKERS`` > 1, and stop after the gateway has drained;
- ``CG_DEMO_SEED``: the demo's secrets are random on every run (printed at start; handed to
  the worker processes through the environment); with a seed they repeat;
- ``SANDBOX_HOST``, ``SANDBOX_<VENDOR>_PORT`` and the ``SANDBOX_*`` demo-world variables
  place the sandboxes and size their data.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import uvicorn
from fastapi import FastAPI
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict
from starlette.types import ASGIApp

from demo.run_secrets import DemoSecrets
from demo.tenants import (
    SandboxUrls,
    demo_api_keys,
    demo_auth_lines,
    demo_jwt_settings,
    demo_read_only_keys,
    demo_tenants,
    with_secrets,
)
from gateway.serving import CompanionServer, ServingSettings, guarded, serve
from gateway.settings import GatewaySettings
from sandbox.__main__ import DEFAULT_PORTS
from sandbox.demo_world import DemoWorld, demo_world_from_env
from sandbox.registry import VENDOR_APPS

__all__ = [
    "DEMO_SECRETS_HANDOVER",
    "WORKER_APP",
    "DemoRun",
    "DemoSettings",
    "create_worker_app",
    "serve_demo",
]

#: the factory every demo worker process imports
WORKER_APP = "demo.serving:create_worker_app"
#: the supervisor's demo secrets, for its worker processes (not a setting)
DEMO_SECRETS_HANDOVER = "_CG_DEMO_SECRETS"


class DemoSettings(BaseSettings):
    """The demo's own settings (the gateway's are read as ``python -m gateway`` reads them)."""

    model_config = SettingsConfigDict(env_prefix="CG_", env_file=".env", extra="ignore")

    #: repeatable demo secrets (tests, benchmarks); unset: random on every run
    demo_seed: str | None = Field(default=None, min_length=1)


@dataclass(frozen=True)
class DemoRun:
    """The sandboxes' demo world (its data from the ``SANDBOX_*`` environment), this run's
    secrets (its credentials) and where the sandboxes listen."""

    world: DemoWorld
    secrets: DemoSecrets
    #: the secrets come from ``CG_DEMO_SEED`` (another shell can recompute them)
    seeded: bool
    host: str
    ports: dict[str, int]

    @classmethod
    def from_env(cls, demo: DemoSettings) -> DemoRun:
        """Random secrets, ``CG_DEMO_SEED``'s, or, in a worker process, the supervisor's."""
        ports = {
            v: int(os.environ.get(f"SANDBOX_{v.upper()}_PORT", p)) for v, p in DEFAULT_PORTS.items()
        }
        world = demo_world_from_env()
        handed = os.environ.get(DEMO_SECRETS_HANDOVER)
        if handed:
            secrets = DemoSecrets.from_json(handed)
        else:
            secrets = DemoSecrets.generate([t.key for t in world.tenants], demo.demo_seed)
        host = os.environ.get("SANDBOX_HOST", "127.0.0.1")
        seeded = demo.demo_seed is not None
        return cls(with_secrets(world, secrets), secrets, seeded, host, ports)

    @property
    def urls(self) -> SandboxUrls:
        return SandboxUrls(**{v: f"http://{self.host}:{p}" for v, p in self.ports.items()})

    def settings(self, settings: GatewaySettings) -> GatewaySettings:
        """The demo's bearer-token secret unless one is configured."""
        if settings.jwt.enabled:
            return settings
        return settings.model_copy(update={"jwt": demo_jwt_settings(self.secrets)})

    def app(self, settings: GatewaySettings) -> FastAPI:
        """The gateway on the demo tenants (configured tenants are not served here)."""
        from gateway.app import create_app

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
        return [
            CompanionServer(
                uvicorn.Config(
                    VENDOR_APPS[vendor](self.world),
                    host=self.host,
                    port=port,
                    log_config=None,  # the process's logging (gateway.serving) is kept
                    log_level=None,
                )
            )
            for vendor, port in self.ports.items()
        ]

    def banner(self, settings: GatewaySettings, host: str, port: int) -> str:
        """What ``make run`` prints: where everything is and the demo credentials."""
        origin = "from CG_DEMO_SEED" if self.seeded else "random for this run"
        lines = [
            f"Customer Graph on the vendor sandboxes (demo data seed {self.world.seed},"
            f" secrets {origin})"
        ]
        if settings.has_tenants:
            lines.append(
                "  note: the demo serves its own tenants; the configured ones"
                " (CG_TENANTS / CG_TENANTS_FILE) are served by python -m gateway"
            )
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

    def banner_fields(self, host: str, port: int) -> dict[str, object]:
        """The banner's facts for programs (the JSON record's fields): where to call and
        with which key."""
        return {
            "playground": f"http://{host}:{port}/graphql",
            "sandboxes": vars(self.urls),
            "demo_api_keys": {t: k for k, t in demo_api_keys(self.secrets).items()},
            "sample_customer_id": self.world.tenants[0].customers[0].customer_id,
        }

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
    """uvicorn's app factory in each demo worker: the demo app with the supervisor's
    secrets (handed over in the environment), for the sandboxes the supervisor runs."""
    settings, serving = GatewaySettings(), ServingSettings()
    return guarded(DemoRun.from_env(DemoSettings()).app(settings), serving)


def serve_demo(
    settings: GatewaySettings,
    serving: ServingSettings,
    demo: DemoSettings,
    host: str,
    port: int,
) -> None:
    """Serve the sandboxes and the gateway on them until SIGTERM/SIGINT, then drain."""
    run = DemoRun.from_env(demo)
    if serving.workers > 1:  # the workers must accept the keys printed here
        os.environ[DEMO_SECRETS_HANDOVER] = run.secrets.to_json()
    serve(
        settings,
        serving,
        host,
        port,
        build_app=lambda: run.app(settings),
        worker_app=WORKER_APP,
        banner=run.banner(settings, host, port),
        banner_fields=run.banner_fields(host, port),
        companions=run.sandbox_servers(),
    )

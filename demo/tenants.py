"""The demo's tenants: the sandboxes' demo world mapped onto
:class:`~gateway.settings.TenantConfig`, so a fresh clone works with no vendor accounts.

The demo serves a world whose credentials are its run's
:class:`~demo.run_secrets.DemoSecrets` (:func:`with_secrets`), never the ones the public
seed derives. Tests and benchmarks configure gateways on the sandboxes with it too.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from pydantic import SecretStr

from demo.run_secrets import DemoSecrets
from gateway.auth.api_keys import ApiKeyGrant
from gateway.auth.demo_tokens import mint_token
from gateway.auth.jwt_settings import JwtSettings
from gateway.auth.scopes import Scope
from gateway.settings import TenantConfig
from sandbox.demo_world import DemoTenant, DemoWorld
from vendors.omnidesk.config import OmnideskConfig
from vendors.tallymarks.config import TallymarksConfig
from vendors.talon.config import TalonConfig

__all__ = [
    "SandboxUrls",
    "demo_api_keys",
    "demo_auth_lines",
    "demo_jwt_settings",
    "demo_read_only_keys",
    "demo_tenant_config",
    "demo_tenants",
    "with_secrets",
]


@dataclass(frozen=True)
class SandboxUrls:
    """Base URLs of the three sandboxes (the Tallymarks one serves both of its APIs)."""

    tallymarks: str
    omnidesk: str
    talon: str


def demo_tenant_config(tenant: DemoTenant, urls: SandboxUrls) -> TenantConfig:
    return TenantConfig(
        name=tenant.name,
        tallymarks=TallymarksConfig(
            customer_base_url=urls.tallymarks,
            event_base_url=urls.tallymarks,
            tenant_id=tenant.tallymarks_tenant_id,
            api_key=SecretStr(tenant.tallymarks_api_key),
            api_secret=SecretStr(tenant.tallymarks_api_secret),
        ),
        omnidesk=OmnideskConfig(
            base_url=urls.omnidesk,
            api_key=SecretStr(tenant.omnidesk_api_key),
            brand_id=tenant.omnidesk_brand_id,
        ),
        talon=TalonConfig(base_url=urls.talon, api_key=SecretStr(tenant.talon_api_key)),
    )


def demo_tenants(world: DemoWorld, urls: SandboxUrls) -> dict[str, TenantConfig]:
    return {t.key: demo_tenant_config(t, urls) for t in world.tenants}


def with_secrets(world: DemoWorld, secrets: DemoSecrets) -> DemoWorld:
    """``world`` with each tenant's vendor credentials replaced by the run's secrets (the
    sandboxes accept those, the gateway's tenants present them)."""
    tenants = []
    for tenant in world.tenants:
        own = secrets.tenants[tenant.key]
        tenants.append(
            replace(
                tenant,
                tallymarks_api_key=own.tallymarks_api_key,
                tallymarks_api_secret=own.tallymarks_api_secret,
                omnidesk_api_key=own.omnidesk_api_key,
                omnidesk_read_only_key=own.omnidesk_read_only_key,
                talon_api_key=own.talon_api_key,
            )
        )
    return replace(world, tenants=tuple(tenants))


def demo_api_keys(secrets: DemoSecrets) -> dict[str, str]:
    """Gateway API keys for the demo tenants (printed at start; never for production)."""
    return {t.gateway_key: key for key, t in secrets.tenants.items()}


def demo_read_only_keys(secrets: DemoSecrets) -> dict[str, ApiKeyGrant]:
    """One ``customers:read``-only key per demo tenant, to see FORBIDDEN on writes."""
    return {
        t.gateway_read_only_key: ApiKeyGrant(
            tenant=key, scopes=[Scope.CUSTOMERS_READ], name=f"demo-{key}-read-only"
        )
        for key, t in secrets.tenants.items()
    }


def demo_jwt_settings(secrets: DemoSecrets) -> JwtSettings:
    """HS256 with the run's signing secret (``python -m demo token`` in another shell
    has it only when both use the same ``CG_DEMO_SEED``)."""
    return JwtSettings(
        secret=SecretStr(secrets.jwt_secret),
        issuer="customer-graph-demo",
        audience=["customer-graph"],
    )


def demo_auth_lines(secrets: DemoSecrets, jwt: JwtSettings, *, repeatable: bool) -> list[str]:
    """What ``make run`` prints about the read-only keys and bearer tokens; ``repeatable``:
    another shell can sign tokens too (``CG_DEMO_SEED`` or ``CG_JWT__SECRET`` is set)."""
    lines = [
        f"  demo read-only API key for tenant {grant.tenant!r}: {key}  (customers:read only)"
        for key, grant in demo_read_only_keys(secrets).items()
    ]
    if jwt.secret is None:
        return lines
    for tenant in secrets.tenants:
        token = mint_token(jwt, tenant, list(Scope), ttl_seconds=12 * 3600)
        lines += [
            f"  demo bearer token for tenant {tenant!r} (every scope, 12 h):",
            f"    Authorization: Bearer {token}",
        ]
    if repeatable:
        lines.append(
            "  more tokens (same CG_DEMO_SEED or CG_JWT__SECRET):"
            " python -m demo token --tenant globex --scope customers:read"
        )
    else:
        lines.append(
            "  (secrets are random on every run; set CG_DEMO_SEED for repeatable ones and"
            " python -m demo token)"
        )
    return lines

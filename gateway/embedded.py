"""The embedded default: tenants configured from the sandboxes' demo world.

This is the only gateway module that knows the sandboxes exist; it maps the demo world's
credentials onto :class:`~gateway.settings.TenantConfig` so a fresh clone works with no
vendor accounts.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from pydantic import SecretStr

from gateway.auth import ApiKeyGrant, JwtSettings, Scope
from gateway.auth.demo_tokens import mint_token
from gateway.settings import TenantConfig
from gateway.vendors.omnidesk.config import OmnideskConfig
from gateway.vendors.tallymarks.config import TallymarksConfig
from gateway.vendors.talon.config import TalonConfig
from sandbox.demo_world import DemoTenant, DemoWorld

__all__ = [
    "SandboxUrls",
    "demo_api_keys",
    "demo_auth_lines",
    "demo_jwt_settings",
    "demo_read_only_keys",
    "demo_tenant_config",
    "demo_tenants",
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


def demo_api_keys(world: DemoWorld) -> dict[str, str]:
    """Gateway API keys for the demo tenants (printed at start; never for production)."""
    return {f"cg-demo-{t.key}-{t.tallymarks_api_key[-8:]}": t.key for t in world.tenants}


def demo_read_only_keys(world: DemoWorld) -> dict[str, ApiKeyGrant]:
    """One ``customers:read``-only key per demo tenant, to see FORBIDDEN on writes."""
    return {
        f"cg-demo-{t.key}-ro-{t.tallymarks_api_key[-8:]}": ApiKeyGrant(
            tenant=t.key, scopes=[Scope.CUSTOMERS_READ], name=f"demo-{t.key}-read-only"
        )
        for t in world.tenants
    }


def demo_jwt_settings(world: DemoWorld) -> JwtSettings:
    """An HS256 secret derived from the world's seed (so ``python -m gateway token`` in
    another shell signs with the same one)."""
    digest = hashlib.sha256(f"cg-demo-jwt|{world.seed}".encode()).hexdigest()
    return JwtSettings(
        secret=SecretStr(f"cg-demo-jwt-{digest[:32]}"),
        issuer="customer-graph-demo",
        audience=["customer-graph"],
    )


def demo_auth_lines(world: DemoWorld, jwt: JwtSettings) -> list[str]:
    """What ``make run`` prints about the read-only keys and bearer tokens."""
    lines = [
        f"  demo read-only API key for tenant {grant.tenant!r}: {key}  (customers:read only)"
        for key, grant in demo_read_only_keys(world).items()
    ]
    if jwt.secret is not None:
        tenant = world.tenants[0].key
        token = mint_token(jwt, tenant, list(Scope), ttl_seconds=12 * 3600)
        lines += [
            f"  demo bearer token for tenant {tenant!r} (every scope, 12 h):",
            f"    Authorization: Bearer {token}",
            "  more tokens: python -m gateway token --tenant globex --scope customers:read",
        ]
    return lines

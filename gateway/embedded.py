"""The embedded default: tenants configured from the sandboxes' demo world.

This is the only gateway module that knows the sandboxes exist; it maps the demo world's
credentials onto :class:`~gateway.settings.TenantConfig` so a fresh clone works with no
vendor accounts.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import SecretStr

from gateway.settings import TenantConfig
from gateway.vendors.omnidesk.config import OmnideskConfig
from gateway.vendors.tallymarks.config import TallymarksConfig
from gateway.vendors.talon.config import TalonConfig
from sandbox.demo_world import DemoTenant, DemoWorld

__all__ = ["SandboxUrls", "demo_api_keys", "demo_tenant_config", "demo_tenants"]


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

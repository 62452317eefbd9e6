"""Gateway configuration, from the environment (prefix ``CG_``), a ``.env`` file and an
optional tenants file. Vendor credentials are per tenant and held as ``SecretStr``.

With no tenant configured, the gateway runs on the embedded vendor sandboxes with demo data.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from gateway.vendors.omnidesk.config import OmnideskConfig
from gateway.vendors.tallymarks.config import TallymarksConfig
from gateway.vendors.talon.config import TalonConfig

__all__ = ["GatewaySettings", "TenantConfig", "VendorHttpConfig"]

VENDORS = ("tallymarks", "omnidesk", "talon")

#: cache TTLs (seconds) per resource kind; writes through the gateway invalidate at once
DEFAULT_TTLS: dict[str, float] = {
    "customer": 60,
    "balance": 15,
    "segments": 60,
    "events": 30,
    "transactions": 30,
    "search": 15,
    "support_customer": 60,
    "timeline": 30,
    "inventory": 30,
    "coupon_holders": 30,
    "session": 0,
}


class TenantConfig(BaseModel):
    """One merchant: where its data lives at each vendor and the credentials to reach it."""

    model_config = ConfigDict(frozen=True)

    name: str = ""
    tallymarks: TallymarksConfig
    omnidesk: OmnideskConfig
    talon: TalonConfig


class VendorHttpConfig(BaseModel):
    """Timeouts (seconds), pool limits and retries of one vendor's long-lived client."""

    model_config = ConfigDict(frozen=True)

    connect_timeout: float = Field(default=2.0, gt=0)
    read_timeout: float = Field(default=10.0, gt=0)
    write_timeout: float = Field(default=10.0, gt=0)
    pool_timeout: float = Field(default=5.0, gt=0)
    max_connections: int = Field(default=100, ge=1)
    max_keepalive_connections: int = Field(default=50, ge=0)
    retry_attempts: int = Field(default=3, ge=1, le=10)
    retry_backoff_base: float = Field(default=0.05, ge=0)
    retry_max_after: float = Field(default=5.0, ge=0)
    #: concurrent calls the gateway makes to this vendor, over all requests
    max_concurrency: int = Field(default=64, ge=1)


class GatewaySettings(BaseSettings):
    """``CG_TENANTS`` (JSON) or ``CG_TENANTS_FILE`` (a JSON file) configure real vendors;
    ``CG_HTTP__TALON__READ_TIMEOUT=3`` tunes one vendor's client."""

    model_config = SettingsConfigDict(
        env_prefix="CG_", env_file=".env", env_nested_delimiter="__", extra="ignore"
    )

    tenants: dict[str, TenantConfig] = Field(default_factory=dict)
    tenants_file: Path | None = None
    http: dict[str, VendorHttpConfig] = Field(default_factory=dict)
    #: ``{api key: tenant}``: who may call the gateway (the embedded demo makes its own)
    api_keys: dict[str, str] = Field(default_factory=dict)
    #: seconds each kind of vendor read stays cached (0 = not cached)
    cache_ttls: dict[str, float] = Field(default_factory=lambda: dict(DEFAULT_TTLS))
    cache_max_entries: int = Field(default=100_000, ge=0)
    #: how long expired entries are kept for stale-if-error
    cache_keep_stale_for: float = Field(default=600.0, ge=0)
    #: serve GraphiQL on a browser GET of /graphql (switch off in production if unwanted)
    playground: bool = True
    host: str = "127.0.0.1"
    port: int = 8000

    def all_tenants(self) -> dict[str, TenantConfig]:
        """Tenants from the file, overridden by those given inline."""
        tenants: dict[str, TenantConfig] = {}
        if self.tenants_file is not None:
            raw = json.loads(self.tenants_file.read_text(encoding="utf-8"))
            tenants.update({k: TenantConfig.model_validate(v) for k, v in raw.items()})
        tenants.update(self.tenants)
        return tenants

    def http_for(self, vendor: str) -> VendorHttpConfig:
        return self.http.get(vendor, VendorHttpConfig())

    @property
    def embedded(self) -> bool:
        """No vendor configured: serve on the embedded sandboxes."""
        return not self.tenants and self.tenants_file is None

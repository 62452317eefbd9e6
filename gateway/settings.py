"""Gateway configuration, from the environment (prefix ``CG_``), a ``.env`` file and an
optional tenants file. Vendor credentials are per tenant and held as ``SecretStr``.

With no tenant configured the gateway refuses to start; ``python -m demo`` (``make run``)
configures demo tenants on the vendor sandboxes instead.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, SecretStr, TypeAdapter
from pydantic_settings import BaseSettings, SettingsConfigDict

from cache.shared.config import RedisSettings
from gateway.auth.api_keys import ApiKeyGrant
from gateway.auth.jwt_settings import JwtSettings
from gateway.http_cors import CorsSettings
from gateway.limits.config import QueryLimits
from gateway.rate_limit.config import RateLimitSettings
from vendors.http_config import VendorHttpConfig
from vendors.omnidesk.config import OmnideskConfig
from vendors.read_catalog import default_ttls
from vendors.tallymarks.config import TallymarksConfig
from vendors.talon.config import TalonConfig
from vendors.transport import TransportKind

__all__ = ["GatewaySettings", "TenantConfig", "VendorHttpConfig"]

VENDORS = ("tallymarks", "omnidesk", "talon")

#: cache TTLs (seconds) per resource kind, from the vendor read declarations
#: (vendors.read_catalog); writes through the gateway invalidate at once
DEFAULT_TTLS: dict[str, float] = default_ttls()


def _known_cache_kinds(ttls: dict[str, float]) -> dict[str, float]:
    """A TTL for a kind no read has would silently do nothing (a typo): refuse it."""
    unknown = sorted(set(ttls) - set(DEFAULT_TTLS))
    if unknown:
        raise ValueError(
            f"cache_ttls: unknown cache kind(s) {', '.join(unknown)}; "
            f"known: {', '.join(sorted(DEFAULT_TTLS))}"
        )
    return ttls


class TenantConfig(BaseModel):
    """One merchant: where its data lives at each vendor and the credentials to reach it."""

    model_config = ConfigDict(frozen=True)

    name: str = ""
    tallymarks: TallymarksConfig
    omnidesk: OmnideskConfig
    talon: TalonConfig


#: what ``CG_TENANTS_FILE`` holds; its errors name the tenant (``acme.talon.api_key``)
_TENANTS_FILE = TypeAdapter(dict[str, TenantConfig])


class GatewaySettings(BaseSettings, QueryLimits):
    """``CG_TENANTS`` (JSON) or ``CG_TENANTS_FILE`` (a JSON file) configure real vendors;
    ``CG_HTTP__TALON__READ_TIMEOUT=3`` tunes one vendor's client. The query limits are
    :class:`QueryLimits`' fields (``CG_MAX_QUERY_DEPTH=8``)."""

    model_config = SettingsConfigDict(
        env_prefix="CG_",
        env_file=".env",
        env_nested_delimiter="__",
        extra="ignore",
        frozen=False,  # QueryLimits is frozen; the settings never were
    )

    tenants: dict[str, TenantConfig] = Field(default_factory=dict)
    tenants_file: Path | None = None
    http: dict[str, VendorHttpConfig] = Field(default_factory=dict)
    #: the connection pool under the vendor clients: ``aiohttp`` or ``httpx`` (httpcore);
    #: see vendors/transport.py for why aiohttp is the default
    vendor_transport: TransportKind = "aiohttp"
    # --- auth: who may do what (gateway.auth) ---
    #: who may call with ``X-API-Key``: ``{key: tenant}`` (every scope) or ``{key:
    #: {"tenant": ..., "scopes": [...], "name": ...}}`` (``python -m demo`` makes its own)
    api_keys: dict[str, str | ApiKeyGrant] = Field(default_factory=dict)
    #: bearer tokens (``CG_JWT__SECRET``, ``CG_JWT__JWKS_URL``, ``CG_JWT__ISSUER`` …); off
    #: until a key is configured
    jwt: JwtSettings = Field(default_factory=JwtSettings)
    #: browser pages on other origins allowed to call (``CG_CORS__ALLOW_ORIGINS``,
    #: ``CG_CORS__ALLOW_CREDENTIALS``, ``CG_CORS__MAX_AGE`` …); off until an origin is set
    cors: CorsSettings = Field(default_factory=CorsSettings)
    #: seconds each kind of vendor read stays cached (0 = not cached)
    cache_ttls: Annotated[dict[str, float], AfterValidator(_known_cache_kinds)] = Field(
        default_factory=lambda: dict(DEFAULT_TTLS)
    )
    cache_max_entries: int = Field(default=100_000, ge=0)
    #: bytes the in-process read cache may hold (estimated; least recently used go first)
    cache_max_bytes: int = Field(default=256 * 1024 * 1024, ge=0)
    #: answer a repeated query from memory while every read it made is still cached (the
    #: answer carries their tags and lives as long as the shortest; cache)
    response_cache: bool = True
    #: seconds an answer is kept at most, and how many answers
    response_cache_max_ttl: float = Field(default=30.0, gt=0)
    response_cache_max_entries: int = Field(default=10_000, ge=1)
    #: bytes of answers kept (bodies and headers; least recently used go first)
    response_cache_max_bytes: int = Field(default=64 * 1024 * 1024, ge=0)
    #: ``naive`` switches off dataloader batching, per-request dedup and the cross-request
    #: cache: every field makes its own vendor calls. Only for contrast in benchmarks.
    resolver_mode: Literal["optimised", "naive"] = "optimised"
    #: how long expired entries are kept for stale-if-error
    cache_keep_stale_for: float = Field(default=600.0, ge=0)
    # --- scale-out (gateway.shared_tier, gateway.rate_limit) ---
    #: the shared tier replicas use together (``CG_REDIS__URL=redis://redis:6379/0``): L2
    #: cache, cross-replica invalidation, APQ documents, rate-limit buckets
    redis: RedisSettings = Field(default_factory=RedisSettings)
    #: operations per principal (``CG_RATE_LIMIT__RATE=20``, ``CG_RATE_LIMIT__BURST=40``)
    rate_limit: RateLimitSettings = Field(default_factory=RateLimitSettings)
    # --- resilience (vendors.resilience) ---
    #: a read that fails retryably (vendor down, timeout, open circuit, 429) is served from
    #: an entry expired at most this many seconds ago, marked in ``extensions.stale``
    #: (0 = never; bounded by ``cache_keep_stale_for``)
    cache_stale_if_error: float = Field(default=300.0, ge=0)
    #: seconds before the one retry of a Talon.One write refused with 409 "in progress"
    talon_overlap_retry_delay: float = Field(default=0.25, ge=0)
    # --- persisted operations (gateway.persisted): APQ and trusted documents ---
    #: accept Apollo automatic persisted queries (a hash instead of the text, GET or POST)
    apq_enabled: bool = True
    #: where APQ documents are kept: ``memory`` (this process) or ``module:factory`` (a
    #: callable taking the settings, returning an object with async ``get``/``set``)
    apq_store: str = "memory"
    #: documents the in-process APQ store keeps (least recently used go first)
    apq_store_max_entries: int = Field(default=10_000, ge=1)
    #: bytes of documents the in-process APQ store keeps (least recently used go first)
    apq_store_max_bytes: int = Field(default=64 * 1024 * 1024, ge=0)
    #: parsed documents kept with their validation results (a parse is ~500 bytes of
    #: syntax tree per token), and the bytes they may take (least recently used go first)
    document_cache_max_entries: int = Field(default=1024, ge=0)
    document_cache_max_bytes: int = Field(default=64 * 1024 * 1024, ge=0)
    #: bytes of idempotency records (and, apart, of claims) kept in this process
    idempotency_max_bytes: int = Field(default=32 * 1024 * 1024, ge=0)
    #: a persisted-query manifest (``{sha256: query}`` or Apollo's manifest format); when
    #: set, only its operations run (``python -m gateway manifest`` writes the examples')
    trusted_documents_file: Path | None = None
    # --- observability (gateway.observability): metrics, traces, logs, readiness ---
    #: serve Prometheus metrics at /metrics (keep that path off the public edge)
    metrics_enabled: bool = True
    #: distinct operation names labelled in metrics; later new names count as ``other``
    metrics_max_operation_names: int = Field(default=500, ge=1)
    #: OpenTelemetry spans per operation, dataloader batch and vendor call (off by default)
    tracing_enabled: bool = False
    #: where spans go (OTLP over HTTP); empty: nowhere but processors added in code
    otlp_endpoint: str | None = "http://localhost:4318/v1/traces"
    #: headers for the collector (``CG_OTLP_HEADERS='{"x-honeycomb-team": "…"}'``)
    otlp_headers: dict[str, SecretStr] = Field(default_factory=dict)
    #: seconds one export to the collector may take
    otlp_timeout: float = Field(default=10.0, gt=0)
    #: ``otlp`` (to ``otlp_endpoint``) or ``console`` (one JSON line per span on stdout)
    tracing_exporter: Literal["otlp", "console"] = "otlp"
    #: continue a caller's W3C trace (``traceparent``/``tracestate``); off, each request
    #: starts a trace of its own (keep off where untrusted callers reach the gateway)
    tracing_trust_incoming: bool = False
    #: share of new traces sampled (a trusted caller's ``traceparent`` decides for its own)
    trace_sample_ratio: float = Field(default=1.0, ge=0, le=1)
    #: ``service.name`` of the spans
    service_name: str = "customer-graph"
    #: ``json`` (one object per line, with the request id) or ``text``
    log_format: Literal["json", "text"] = "json"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    #: one line per request (probes and scrapes at DEBUG)
    access_log: bool = True
    #: seconds a vendor host has to answer the /readyz probe
    readiness_timeout: float = Field(default=2.0, gt=0)
    #: seconds a /readyz result is reused before the vendors are probed again
    readiness_cache_seconds: float = Field(default=5.0, ge=0)
    #: serve GraphiQL on a browser GET of /graphql (switch off in production if unwanted)
    playground: bool = True
    host: str = "127.0.0.1"
    port: int = 8000

    def all_tenants(self) -> dict[str, TenantConfig]:
        """Tenants from the file, overridden by those given inline."""
        tenants: dict[str, TenantConfig] = {}
        if self.tenants_file is not None:
            text = self.tenants_file.read_text(encoding="utf-8")
            tenants.update(_TENANTS_FILE.validate_python(json.loads(text)))
        tenants.update(self.tenants)
        return tenants

    def http_for(self, vendor: str) -> VendorHttpConfig:
        return self.http.get(vendor, VendorHttpConfig())

    @property
    def has_tenants(self) -> bool:
        """Some tenant is configured; without one ``python -m gateway`` refuses to start."""
        return bool(self.tenants) or self.tenants_file is not None


def tenants_document(tenants: Mapping[str, TenantConfig]) -> dict[str, Any]:
    """``tenants`` as ``CG_TENANTS_FILE`` holds them (JSON-ready, credentials in clear): the
    inverse of :meth:`GatewaySettings.all_tenants`, for deployments, tests and benchmarks."""

    def reveal(value: object) -> object:
        if isinstance(value, SecretStr):
            return value.get_secret_value()
        raise TypeError(f"{type(value).__name__} is not JSON")

    return {
        key: json.loads(json.dumps(config.model_dump(mode="python"), default=reveal))
        for key, config in tenants.items()
    }

"""One vendor's HTTP client settings (``CG_HTTP__<VENDOR>__…``): the pool and timeouts of
its long-lived ``httpx`` client, its retries and its resilience, in one model."""

from __future__ import annotations

import httpx
from pydantic import BaseModel, ConfigDict, Field

from vendors.resilience.config import BreakerConfig, RetryBudgetConfig

__all__ = ["VendorHttpConfig"]


class VendorHttpConfig(BaseModel):
    """Timeouts (seconds), pool limits and retries of one vendor's long-lived client."""

    model_config = ConfigDict(frozen=True)

    connect_timeout: float = Field(default=2.0, gt=0)
    read_timeout: float = Field(default=10.0, gt=0)
    write_timeout: float = Field(default=10.0, gt=0)
    pool_timeout: float = Field(default=5.0, gt=0)
    max_connections: int = Field(default=100, ge=1)
    #: at least ``max_concurrency``: a busy vendor's connections are reused, not reopened
    #: for every call beyond the keep-alive pool (measured: bench/README.md)
    max_keepalive_connections: int = Field(default=100, ge=0)
    #: seconds an idle kept-alive connection is kept
    keepalive_expiry: float = Field(default=30.0, ge=0)
    retry_attempts: int = Field(default=3, ge=1, le=10)
    retry_backoff_base: float = Field(default=0.05, ge=0)
    retry_max_after: float = Field(default=5.0, ge=0)
    #: concurrent calls the gateway makes to this vendor, over all requests
    max_concurrency: int = Field(default=64, ge=1)
    # --- resilience (vendors.resilience): deadlines, retry budget, circuit breaker ---
    #: seconds for one attempt, request to last byte, kept by the gateway itself
    attempt_timeout: float = Field(default=4.0, gt=0)
    #: seconds for one call: slot waits, retries and backoff; no retry starts past it.
    #: Also capped by the operation's deadline (``execution_timeout`` minus
    #: ``vendor_deadline_margin``); a larger value is clamped at startup, with a warning
    call_timeout: float = Field(default=8.0, gt=0)
    #: retries allowed on top of the calls (``CG_HTTP__TALON__RETRY_BUDGET__RATIO=0.1``)
    retry_budget: RetryBudgetConfig = Field(default_factory=RetryBudgetConfig)
    #: when the vendor's circuit opens and how it closes (``CG_HTTP__TALON__BREAKER__COOLDOWN``)
    breaker: BreakerConfig = Field(default_factory=BreakerConfig)

    def timeout(self) -> httpx.Timeout:
        return httpx.Timeout(
            connect=self.connect_timeout,
            read=self.read_timeout,
            write=self.write_timeout,
            pool=self.pool_timeout,
        )

    def limits(self) -> httpx.Limits:
        return httpx.Limits(
            max_connections=self.max_connections,
            max_keepalive_connections=self.max_keepalive_connections,
            keepalive_expiry=self.keepalive_expiry,
        )

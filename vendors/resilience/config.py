"""Typed, documented options of the per-vendor circuit breaker and retry budget.

They nest under a vendor's HTTP settings: ``CG_HTTP__TALON__BREAKER__COOLDOWN=10``.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["BreakerConfig", "RetryBudgetConfig"]


class BreakerConfig(BaseModel):
    """When a vendor's circuit opens, and how it is tried again.

    Closed → open after ``failure_threshold`` failures in a row, or when at least
    ``min_calls`` calls in the last ``window`` seconds failed in a share of
    ``failure_ratio`` or more. Open → calls fail fast for ``cooldown`` seconds, then
    half-open: ``half_open_probes`` calls go through; that many successes close the
    circuit, one failure opens it again. Only transport failures, timeouts, 5xx and 429 are
    failures; a 4xx is the vendor working.

    The defaults open on a vendor that is down (20 failures in a row, or 80 % of the
    window's calls), not on one that fails half its requests: retries absorb that, and an
    open circuit would fail every call instead of half (bench/results/breaker-tuning.md).
    """

    model_config = ConfigDict(frozen=True)

    enabled: bool = True
    failure_threshold: int = Field(default=20, ge=1)
    failure_ratio: float = Field(default=0.8, gt=0, le=1)
    min_calls: int = Field(default=20, ge=1)
    window: float = Field(default=30.0, gt=0)
    cooldown: float = Field(default=10.0, ge=0)
    half_open_probes: int = Field(default=1, ge=1)


class RetryBudgetConfig(BaseModel):
    """Retries may add at most ``ratio`` of the calls made in the last ``window`` seconds,
    plus ``min_retries`` so a quiet gateway still retries; when spent, nothing is retried
    (retries must not multiply the load on a vendor that is already failing).

    Half the calls again covers the retries of a vendor failing a fifth of its requests
    (~0.25 per call) and caps a worse one at 1.5x its normal load, not ``retry_attempts``x.
    """

    model_config = ConfigDict(frozen=True)

    enabled: bool = True
    ratio: float = Field(default=0.5, ge=0, le=1)
    min_retries: int = Field(default=3, ge=0)
    window: float = Field(default=10.0, gt=0)

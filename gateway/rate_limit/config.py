"""Settings of per-principal rate limits (``CG_RATE_LIMIT__RATE``)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

__all__ = ["RateLimitSettings"]


class RateLimitSettings(BaseModel):
    """A token bucket per principal (GCRA): ``rate`` operations per second on average,
    ``burst`` at once. Shared by every replica through Redis when it is configured."""

    model_config = ConfigDict(frozen=True)

    #: operations per second per principal (0 = no limit)
    rate: float = Field(default=0.0, ge=0)
    #: operations a principal may send at once above the rate (at least 1)
    burst: int = Field(default=50, ge=1)

    @property
    def enabled(self) -> bool:
        return self.rate > 0

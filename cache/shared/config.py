"""Settings of the shared tier (``CG_REDIS__URL``)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, SecretStr

__all__ = ["RedisSettings"]


class RedisSettings(BaseModel):
    """Off until ``url`` is set; replicas that share one Redis behave as one gateway."""

    model_config = ConfigDict(frozen=True)

    #: ``redis://host:6379/0`` (``rediss://`` for TLS); empty: no shared tier
    url: SecretStr | None = None
    #: seconds one Redis command may take before the gateway goes on without Redis
    timeout: float = Field(default=0.5, gt=0)
    #: seconds between reconnection probes while Redis is unreachable
    retry_interval: float = Field(default=1.0, gt=0)
    #: prefix of every key, so several gateways (or environments) can share one Redis
    key_prefix: str = Field(default="cg", min_length=1, pattern=r"^[A-Za-z0-9_.-]+$")
    #: the second tier of the read cache (L2 behind the in-process L1)
    l2_cache: bool = True
    #: before its first cache read, a request catches up with invalidations published by
    #: other replicas (one Redis round trip): a read after a write on any replica is fresh.
    #: ``false``: catch up at most every ``sync_interval`` seconds (eventual, cheaper).
    read_after_write: bool = True
    sync_interval: float = Field(default=0.1, ge=0)
    #: invalidations kept for replicas catching up; one that falls further behind drops L1
    invalidation_log_length: int = Field(default=10_000, ge=100)
    #: invalidations made while Redis was unreachable, replayed when it returns
    pending_invalidations_max: int = Field(default=100_000, ge=0)
    #: seconds an automatic persisted query stays in Redis after its last registration
    apq_ttl: int = Field(default=7 * 24 * 3600, ge=60)
    #: connections to Redis per gateway process
    max_connections: int = Field(default=64, ge=1)

    @property
    def enabled(self) -> bool:
        return self.url is not None and bool(self.url.get_secret_value())

"""Rate limits every replica enforces together: one GCRA timestamp per principal in Redis,
updated by a script (atomic across replicas, Redis's clock). While Redis is unreachable
each replica falls back to its own buckets, so clients keep being served."""

from __future__ import annotations

import hashlib
import math

from cache.shared.redis_link import RedisLink
from gateway.auth.principal import Principal
from gateway.rate_limit.config import RateLimitSettings
from gateway.rate_limit.gcra import Decision, LocalRateLimiter

__all__ = ["RateLimiter"]

# KEYS: bucket  ARGV: interval (µs), burst  → {allowed, retry_after µs, remaining}
_GCRA = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or now)
if tat < now then tat = now end
local allow_at = tat - burst * interval + interval
if now < allow_at then
  return {0, allow_at - now, 0}
end
local new_tat = tat + interval
redis.call('SET', KEYS[1], string.format('%.0f', new_tat), 'PX',
  string.format('%d', math.ceil((new_tat - now) / 1000) + 1000))
return {1, 0, math.floor((now - (new_tat - burst * interval)) / interval)}
"""


class RateLimiter:
    def __init__(self, settings: RateLimitSettings, redis: RedisLink | None = None) -> None:
        self.settings = settings
        self.redis = redis
        self.local = LocalRateLimiter(settings)
        self.refused = 0

    @staticmethod
    def principal_key(principal: Principal) -> str:
        """The tenant and the caller's name, hashed (key names show no identities)."""
        raw = f"{principal.tenant}\x1f{principal.via}\x1f{principal.name}"
        return hashlib.sha256(raw.encode()).hexdigest()[:32]

    async def acquire(self, principal: Principal) -> Decision:
        key = self.principal_key(principal)
        decision = await self._shared(key) if self.redis is not None else None
        if decision is None:
            decision = self.local.acquire(key)
        if not decision.allowed:
            self.refused += 1
        return decision

    async def _shared(self, key: str) -> Decision | None:
        assert self.redis is not None
        interval = max(1, round(1_000_000 / self.settings.rate))
        bucket = self.redis.key("rl", key)
        result = await self.redis.run(
            "rate_limit",
            lambda r: r.eval(_GCRA, 1, bucket, str(interval), str(self.settings.burst)),
            None,
        )
        if not isinstance(result, list) or len(result) != 3:
            return None
        allowed, retry_us, remaining = (int(v) for v in result)
        return Decision(bool(allowed), retry_us / 1_000_000, max(remaining, 0))

    @staticmethod
    def retry_after_header(decision: Decision) -> str:
        return str(max(1, math.ceil(decision.retry_after)))

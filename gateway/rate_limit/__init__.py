"""Operations per principal: a token bucket in GCRA form, shared by every replica through
Redis when it is configured, kept in this process otherwise (and while Redis is down)."""

from gateway.rate_limit.gcra import Decision, LocalRateLimiter
from gateway.rate_limit.limiter import RateLimiter

__all__ = ["Decision", "LocalRateLimiter", "RateLimiter"]

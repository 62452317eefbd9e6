"""The IETF RateLimit fields (draft-ietf-httpapi-ratelimit-headers): the policy a caller is
under and what is left of it, so a client can slow down before it is refused.

The GCRA bucket maps onto one policy: quota ``q`` = the burst, window ``w`` = the seconds
an empty bucket takes to fill again; ``r`` = operations that could be sent at once now,
``t`` = seconds until the bucket is full again (refused: until the next one is allowed)."""

from __future__ import annotations

import math

from gateway.rate_limit.config import RateLimitSettings
from gateway.rate_limit.gcra import Decision

__all__ = ["POLICY", "ratelimit_fields"]

#: the one policy's name: every principal has the same bucket size and rate
POLICY = "default"


def ratelimit_fields(settings: RateLimitSettings, decision: Decision) -> list[tuple[bytes, bytes]]:
    """``RateLimit-Policy`` and ``RateLimit`` for one decision (whole seconds, per the draft)."""
    window = max(1, math.ceil(settings.burst / settings.rate))
    if decision.allowed:
        remaining = min(decision.remaining, settings.burst)
        reset = math.ceil((settings.burst - remaining) / settings.rate - 1e-9)
    else:
        remaining, reset = 0, max(1, math.ceil(decision.retry_after))
    return [
        (b"ratelimit-policy", f'"{POLICY}";q={settings.burst};w={window}'.encode()),
        (b"ratelimit", f'"{POLICY}";r={remaining};t={max(reset, 0)}'.encode()),
    ]

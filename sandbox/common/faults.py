"""Fault and latency injection for one vendor sandbox.

A fault is decided per request, before the vendor route runs, so a faulted request has no
side effect (as when a real vendor's load balancer answers instead of the service).

Kinds, in the order they are checked:
- ``down``: the vendor is unreachable. Over real HTTP the server drops the connection
  without an answer; in process the app raises ``httpx.ConnectError``, which httpx's
  ``ASGITransport`` hands to the client as the same transport failure.
- ``hang``: the request never gets an answer (it sleeps ``hang_seconds``), so the client's
  read timeout fires.
- ``fail_next`` / ``error_rate``: a 5xx (``error_status``) with an edge-proxy body.
- ``rate_limit_rate``: 429 with ``Retry-After: retry_after_seconds``.
- ``latency_ms`` ± ``jitter_ms``: added to every request that is answered.

Separately, :meth:`FaultInjector.hold` parks one endpoint's requests (counted on arrival)
until the test releases them, so a test can observe what else happens while that call is
in flight without relying on the clock. Holds are in-process only (an ``asyncio.Event``).
"""

from __future__ import annotations

import asyncio
import json
import os
import random
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field


class FaultConfig(BaseModel):
    """What goes wrong with a vendor, and how slow it is. Every field has a harmless default."""

    model_config = ConfigDict(extra="forbid")

    latency_ms: float = Field(default=0.0, ge=0, description="fixed latency added per request")
    jitter_ms: float = Field(default=0.0, ge=0, description="uniform ± jitter around latency_ms")
    error_rate: float = Field(default=0.0, ge=0, le=1, description="share of requests → 5xx")
    error_status: int = Field(default=503, ge=500, le=599, description="status for injected 5xx")
    fail_next: int = Field(default=0, ge=0, description="the next N requests fail with 5xx")
    rate_limit_rate: float = Field(default=0.0, ge=0, le=1, description="share of requests → 429")
    retry_after_seconds: int = Field(default=1, ge=0, description="Retry-After sent with a 429")
    hang: bool = Field(default=False, description="never answer (client read timeout fires)")
    hang_seconds: float = Field(default=600.0, gt=0, description="how long a hanging call waits")
    down: bool = Field(default=False, description="unreachable: connections are dropped")
    seed: int | None = Field(default=None, description="seed for the error/429 dice")

    @classmethod
    def from_env(cls, vendor: str) -> FaultConfig:
        """Read ``SANDBOX_<VENDOR>_FAULTS`` (a JSON object) so faults can be set at start."""
        raw = os.environ.get(f"SANDBOX_{vendor.upper()}_FAULTS", "").strip()
        return cls.model_validate(json.loads(raw)) if raw else cls()


@dataclass(frozen=True)
class FaultDecision:
    """What the injector decided for one request."""

    delay_s: float = 0.0
    status: int | None = None
    retry_after: int | None = None
    hang_s: float | None = None
    down: bool = False


class FaultInjector:
    """Holds the current :class:`FaultConfig` of one vendor; replaceable at runtime."""

    def __init__(self, config: FaultConfig | None = None) -> None:
        self._config = config or FaultConfig()
        self._rng = random.Random(self._config.seed)
        self._fail_next = self._config.fail_next
        self._holds: dict[str, asyncio.Event] = {}

    @property
    def config(self) -> FaultConfig:
        return self._config.model_copy(update={"fail_next": self._fail_next})

    def set(self, config: FaultConfig) -> None:
        self._config = config
        self._rng = random.Random(config.seed)
        self._fail_next = config.fail_next

    def hold(self, endpoint: str) -> asyncio.Event:
        """Park requests to ``endpoint`` (``"GET /things/{thing_id}"``) until the returned
        event is set; they are counted when they arrive and handled as usual once released.
        Proves ordering ("B was requested while A was in flight") without timing."""
        gate = asyncio.Event()
        self._holds[endpoint] = gate
        return gate

    def held(self, endpoint: str) -> asyncio.Event | None:
        """The gate requests to ``endpoint`` wait on, if it is held and not yet released."""
        gate = self._holds.get(endpoint)
        return gate if gate is not None and not gate.is_set() else None

    @property
    def holding(self) -> bool:
        """Whether any endpoint is held (the middleware names a request only then)."""
        return any(not gate.is_set() for gate in self._holds.values())

    def decide(self) -> FaultDecision:
        cfg = self._config
        if cfg.down:
            return FaultDecision(down=True)
        if cfg.hang:
            return FaultDecision(hang_s=cfg.hang_seconds)
        delay = self._delay_s()
        if self._fail_next > 0:
            self._fail_next -= 1
            return FaultDecision(delay_s=delay, status=cfg.error_status)
        if cfg.error_rate and self._rng.random() < cfg.error_rate:
            return FaultDecision(delay_s=delay, status=cfg.error_status)
        if cfg.rate_limit_rate and self._rng.random() < cfg.rate_limit_rate:
            return FaultDecision(delay_s=delay, status=429, retry_after=cfg.retry_after_seconds)
        return FaultDecision(delay_s=delay)

    def _delay_s(self) -> float:
        cfg = self._config
        if not cfg.latency_ms and not cfg.jitter_ms:
            return 0.0
        jitter = self._rng.uniform(-cfg.jitter_ms, cfg.jitter_ms) if cfg.jitter_ms else 0.0
        return max(0.0, cfg.latency_ms + jitter) / 1000.0


async def sleep_for(decision: FaultDecision) -> None:
    """Apply the decided delay (or hang)."""
    if decision.hang_s is not None:
        await asyncio.sleep(decision.hang_s)
    elif decision.delay_s:
        await asyncio.sleep(decision.delay_s)

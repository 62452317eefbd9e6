"""A circuit breaker per vendor: stop calling a vendor that keeps failing, try it again later.

::

    CLOSED ──(N failures in a row, or failure ratio over the window)──▶ OPEN
    OPEN ──(cooldown passed)──▶ HALF_OPEN ──(probes succeed)──▶ CLOSED
                                    └──────(a probe fails)──────▶ OPEN

While open, :meth:`CircuitBreaker.admit` raises :class:`CircuitOpenError` (a
``VendorUnavailableError``, so clients see ``UPSTREAM_UNAVAILABLE``) without any vendor call.
``state`` and :meth:`CircuitBreaker.on_state_change` are what metrics read and subscribe to.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from enum import StrEnum

from vendors.errors import (
    VendorError,
    VendorRateLimitedError,
    VendorUnavailableError,
    VendorUnreachableError,
)
from vendors.resilience.config import BreakerConfig
from vendors.resilience.window import Clock, SlidingCount

__all__ = [
    "Admission",
    "BreakerState",
    "CircuitBreaker",
    "CircuitOpenError",
    "StateListener",
    "counts_as_failure",
]

log = logging.getLogger("vendors.resilience")


class BreakerState(StrEnum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


#: ``listener(vendor, old, new)``, called on every transition
StateListener = Callable[[str, BreakerState, BreakerState], None]


class CircuitOpenError(VendorUnavailableError):
    """The vendor's circuit is open: the call was refused without reaching the vendor.
    ``retry_after`` is how long until the breaker lets a probe through (when known)."""

    def __init__(self, vendor: str, endpoint: str, *, retry_after: float | None = None) -> None:
        self.retry_after = retry_after
        super().__init__(vendor, endpoint, None, "circuit open", code="CircuitOpen")


def counts_as_failure(error: VendorError) -> bool:
    """Transport failures, timeouts, 5xx and 429 say the vendor is unwell; a 4xx does not."""
    if isinstance(error, CircuitOpenError):
        return False
    return isinstance(error, VendorUnreachableError | VendorRateLimitedError)


class Admission:
    """One admitted call; report how it ended exactly once (later reports are ignored)."""

    def __init__(self, breaker: CircuitBreaker, generation: int, probe: bool) -> None:
        self._breaker = breaker
        self._generation = generation
        self._probe = probe
        self._done = False

    def succeeded(self) -> None:
        self._report(failed=False)

    def failed(self) -> None:
        self._report(failed=True)

    def abandoned(self) -> None:
        """No verdict (cancelled, or never sent): frees a half-open probe slot."""
        self._report(failed=None)

    def _report(self, *, failed: bool | None) -> None:
        if not self._done:
            self._done = True
            self._breaker._record(self._generation, self._probe, failed)


class CircuitBreaker:
    """One vendor's breaker. Time comes from ``clock`` (injectable for tests)."""

    def __init__(
        self, vendor: str, config: BreakerConfig | None = None, *, clock: Clock = time.monotonic
    ) -> None:
        self.vendor = vendor
        self.config = config or BreakerConfig()
        self._clock = clock
        self._state = BreakerState.CLOSED
        #: bumped on every transition: outcomes of calls admitted earlier are ignored
        self._generation = 0
        self._consecutive = 0
        self._calls = SlidingCount(self.config.window, clock=clock)
        self._failures = SlidingCount(self.config.window, clock=clock)
        self._opened_at = 0.0
        self._probes_in_flight = 0
        self._probe_successes = 0
        self._listeners: list[StateListener] = []

    @property
    def state(self) -> BreakerState:
        """The current state (an open circuit whose cooldown passed reads as half-open)."""
        self._maybe_half_open()
        return self._state

    def on_state_change(self, listener: StateListener) -> None:
        """Subscribe to transitions; a listener that raises is logged, never propagated."""
        self._listeners.append(listener)

    def retry_after(self) -> float | None:
        """Seconds until an open circuit lets a probe through; ``None`` unless open."""
        if self.state is not BreakerState.OPEN:
            return None
        return max(0.0, self._opened_at + self.config.cooldown - self._clock())

    def admit(self, endpoint: str) -> Admission:
        """Let one call through, or raise :class:`CircuitOpenError`."""
        state = self.state
        if not self.config.enabled or state is BreakerState.CLOSED:
            return Admission(self, self._generation, probe=False)
        probes_left = self._probes_in_flight < self.config.half_open_probes
        if state is BreakerState.HALF_OPEN and probes_left:
            self._probes_in_flight += 1
            return Admission(self, self._generation, probe=True)
        raise CircuitOpenError(self.vendor, endpoint, retry_after=self.retry_after())

    # --- outcomes ---------------------------------------------------------------------------

    def _record(self, generation: int, probe: bool, failed: bool | None) -> None:
        if generation != self._generation:
            return  # admitted before the last transition: says nothing about now
        if probe:
            self._record_probe(failed)
        elif self._state is BreakerState.CLOSED and failed is not None:
            self._record_closed(failed)

    def _record_closed(self, failed: bool) -> None:
        self._calls.add()
        if not failed:
            self._consecutive = 0
            return
        self._consecutive += 1
        self._failures.add()
        if self._consecutive >= self.config.failure_threshold or self._ratio_tripped():
            self._open()

    def _record_probe(self, failed: bool | None) -> None:
        self._probes_in_flight -= 1
        if failed is None:
            return
        if failed:
            self._open()
            return
        self._probe_successes += 1
        if self._probe_successes >= self.config.half_open_probes:
            self._transition(BreakerState.CLOSED)

    def _ratio_tripped(self) -> bool:
        calls = self._calls.total()
        return calls >= self.config.min_calls and (
            self._failures.total() >= self.config.failure_ratio * calls
        )

    # --- transitions ------------------------------------------------------------------------

    def _maybe_half_open(self) -> None:
        if (
            self._state is BreakerState.OPEN
            and self._clock() >= self._opened_at + self.config.cooldown
        ):
            self._transition(BreakerState.HALF_OPEN)

    def _open(self) -> None:
        self._opened_at = self._clock()
        self._transition(BreakerState.OPEN)

    def _transition(self, new: BreakerState) -> None:
        old = self._state
        self._state = new
        self._generation += 1
        self._consecutive = 0
        self._probes_in_flight = 0
        self._probe_successes = 0
        if new is BreakerState.CLOSED:
            self._calls.clear()
            self._failures.clear()
        if new is BreakerState.OPEN:
            log.warning("circuit open for %s", self.vendor)
        elif old is not new:
            log.info("circuit %s for %s", new.value, self.vendor)
        for listener in list(self._listeners):
            try:
                listener(self.vendor, old, new)
            except Exception:
                log.exception("a breaker state listener failed")

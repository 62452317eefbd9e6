"""A retry budget per vendor: retries may add only a share of the traffic a vendor gets.

Without one, every failing call is sent up to ``attempts`` times, so a vendor in trouble gets
three times the load exactly when it can least take it. The budget counts calls and retries
over a sliding window; a retry is allowed while ``retries < min_retries + ratio * calls``.
"""

from __future__ import annotations

import time

from vendors.resilience.config import RetryBudgetConfig
from vendors.resilience.window import Clock, SlidingCount

__all__ = ["RetryBudget"]


class RetryBudget:
    def __init__(self, config: RetryBudgetConfig | None = None, *, clock: Clock = time.monotonic):
        self.config = config or RetryBudgetConfig()
        self._calls = SlidingCount(self.config.window, clock=clock)
        self._retries = SlidingCount(self.config.window, clock=clock)

    def record_call(self) -> None:
        """A call was made (its first attempt): it earns ``ratio`` of a retry."""
        self._calls.add()

    def available(self) -> float:
        """Retries left in the window (for metrics); unlimited when the budget is off."""
        if not self.config.enabled:
            return float("inf")
        earned = self.config.min_retries + self.config.ratio * self._calls.total()
        return max(0.0, earned - self._retries.total())

    def try_spend(self) -> bool:
        """Take one retry from the budget; ``False`` (and nothing taken) when it is spent."""
        if self.available() < 1:
            return False
        self._retries.add()
        return True

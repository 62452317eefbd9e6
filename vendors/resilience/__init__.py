"""Resilience for vendor calls: a circuit breaker and a retry budget per vendor (wired into
``vendors.http.VendorHttp``), and per-key write queues (Talon.One's 409s).

The Talon.One wrapper lives in :mod:`vendors.resilience.talon_writes`; it is not imported
here, because the vendor HTTP edge imports this package and the Talon client imports that.
"""

from vendors.resilience.circuit_breaker import (
    Admission,
    BreakerState,
    CircuitBreaker,
    CircuitOpenError,
    StateListener,
    counts_as_failure,
)
from vendors.resilience.config import BreakerConfig, RetryBudgetConfig
from vendors.resilience.retry_budget import RetryBudget
from vendors.resilience.write_queue import WriteQueue

__all__ = [
    "Admission",
    "BreakerConfig",
    "BreakerState",
    "CircuitBreaker",
    "CircuitOpenError",
    "RetryBudget",
    "RetryBudgetConfig",
    "StateListener",
    "WriteQueue",
    "counts_as_failure",
]

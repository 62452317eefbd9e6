"""The operation's deadline, flowing down to every vendor call it makes.

The HTTP layer cancels an operation after ``execution_timeout`` (``EXECUTION_TIMEOUT``,
every field lost). A vendor call that could outlive that would turn one slow vendor into a
whole-answer failure, so the layer also sets a *vendor cutoff* here: the operation's
deadline minus a margin. Every vendor call (slot waits, attempts, backoff, retries) and
every wait on a call shared with another request ends by then, so a slow vendor nulls only
its own fields and the rest of the answer still goes out in time.

The cutoff lives in a context variable: tasks the operation starts (dataloader batches)
inherit it; code outside an operation (startup, background jobs) sees no cutoff.

A cutoff bounds each call; what bounds a hung vendor's fields to *one* call budget is the
operation's verdict board (:mod:`vendors.resilience.vendor_verdict`), opened here too: a call
that would only start after another call to the same vendor timed out is refused at once.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from vendors.resilience.vendor_verdict import operation_verdicts

__all__ = ["operation_deadline", "vendor_time_left"]

Clock = Callable[[], float]

#: when (on ``time.monotonic``) the current operation's vendor calls must have ended
_vendor_cutoff: ContextVar[float | None] = ContextVar("cg_vendor_cutoff", default=None)


@contextmanager
def operation_deadline(seconds: float, *, margin: float) -> Iterator[None]:
    """Within this block, vendor calls end ``margin`` seconds before ``seconds`` from now,
    and a vendor that timed out is not asked again (:func:`operation_verdicts`).

    A cutoff already set (an operation inside an operation) is only ever tightened.
    """
    cutoff = time.monotonic() + max(0.0, seconds - margin)
    outer = _vendor_cutoff.get()
    token = _vendor_cutoff.set(cutoff if outer is None else min(outer, cutoff))
    try:
        with operation_verdicts():
            yield
    finally:
        _vendor_cutoff.reset(token)


def vendor_time_left(clock: Clock = time.monotonic) -> float | None:
    """Seconds vendor calls still have in this operation (never negative); ``None`` when no
    operation deadline is set. ``clock`` must read ``time.monotonic``'s timeline."""
    cutoff = _vendor_cutoff.get()
    return None if cutoff is None else max(0.0, cutoff - clock())

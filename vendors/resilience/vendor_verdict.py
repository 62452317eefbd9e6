"""Within one operation, a vendor that timed out (or whose circuit opened) is not waited for
again.

Every vendor call ends by its own budget (``call_timeout``) and the operation's cutoff
(:mod:`vendors.resilience.deadline`). But a call that only *starts* once another call to the
same vendor has failed would wait a budget of its own: a field's read that was not started
ahead and waits for the customer's identity check, the identity fallback asking a vendor
after the fields' reads to it settled. One hung vendor would then cost the operation two
budgets in sequence, where the design bounds a vendor's fields by one.

So the first call of an operation to a vendor that ends in a timeout or an open circuit
leaves a verdict on the operation's board, and every later call to that vendor in the same
operation is refused at once with the same kind of error (so the same GraphQL code,
``UPSTREAM_TIMEOUT`` or ``UPSTREAM_UNAVAILABLE``), reaching neither the vendor nor its
breaker. Calls already under way keep their own budgets. Other operations are not affected:
the circuit breaker is the memory across operations.

The board lives in a context variable, set per operation (by
:func:`vendors.resilience.deadline.operation_deadline`): the tasks the operation starts share
it; code outside an operation sees none and is never refused.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Awaitable, Callable, Coroutine, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Concatenate, ParamSpec, Protocol, TypeVar

from vendors.errors import VendorError, VendorTimeoutError
from vendors.resilience.circuit_breaker import CircuitOpenError

__all__ = ["VendorVerdicts", "fails_fast", "operation_verdicts", "verdicts"]

#: what a call refused for an earlier timeout says (the client sees the code, not this)
REFUSED_AFTER_TIMEOUT = "timed out earlier in this operation; not asked again"


class VendorVerdicts:
    """One operation's board: the vendors it has given up on, and why."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        #: vendor -> (the first error that gave up on it, when)
        self._given_up: dict[str, tuple[VendorError, float]] = {}

    def record(self, vendor: str, error: VendorError) -> None:
        """Give up on ``vendor`` if ``error`` says waiting again would cost another budget
        (a timeout, an open circuit); the first such error is kept."""
        if vendor not in self._given_up and isinstance(
            error, VendorTimeoutError | CircuitOpenError
        ):
            self._given_up[vendor] = (error, self._clock())

    def given_up(self, vendor: str) -> VendorError | None:
        """The error that gave up on ``vendor`` in this operation, if any."""
        found = self._given_up.get(vendor)
        return found[0] if found is not None else None

    def refusal(self, vendor: str, endpoint: str) -> VendorError | None:
        """A fresh error for a call to ``endpoint`` of a vendor given up on (``None``: ask
        it). Fresh, so each field's error names its own endpoint."""
        found = self._given_up.get(vendor)
        if found is None:
            return None
        error, at = found
        if isinstance(error, CircuitOpenError):
            retry_after = error.retry_after
            if retry_after is not None:
                retry_after = max(0.0, retry_after - (self._clock() - at))
            return CircuitOpenError(vendor, endpoint, retry_after=retry_after)
        return VendorTimeoutError(vendor, endpoint, None, REFUSED_AFTER_TIMEOUT)


_board: ContextVar[VendorVerdicts | None] = ContextVar("cg_vendor_verdicts", default=None)


def verdicts() -> VendorVerdicts | None:
    """The current operation's board; ``None`` outside an operation."""
    return _board.get()


@contextmanager
def operation_verdicts() -> Iterator[VendorVerdicts]:
    """A board for the operation run in this block; an operation inside an operation shares
    the outer one (a vendor given up on stays given up on)."""
    outer = _board.get()
    if outer is not None:
        yield outer
        return
    board = VendorVerdicts()
    token = _board.set(board)
    try:
        yield board
    finally:
        _board.reset(token)


class _VendorEdge(Protocol):
    @property
    def vendor(self) -> str: ...


E = TypeVar("E", bound=_VendorEdge)
P = ParamSpec("P")
R = TypeVar("R")


def fails_fast(
    send: Callable[Concatenate[E, P], Awaitable[R]],
) -> Callable[Concatenate[E, P], Coroutine[Any, Any, R]]:
    """For a vendor edge's ``send(request, *, endpoint=..., ...)``: within an operation, a
    call to a vendor the operation gave up on is refused before anything is sent, and a call
    ending in a timeout or an open circuit gives up on its vendor."""

    @functools.wraps(send)
    async def guarded(edge: E, /, *args: P.args, **kwargs: P.kwargs) -> R:
        board = _board.get()
        if board is None:
            return await send(edge, *args, **kwargs)
        refused = board.refusal(edge.vendor, str(kwargs.get("endpoint", "")))
        if refused is not None:
            raise refused
        try:
            return await send(edge, *args, **kwargs)
        except VendorError as error:
            board.record(edge.vendor, error)
            raise

    return guarded

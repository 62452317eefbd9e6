"""Single-flight: concurrent identical reads share one upstream call.

Only calls *in flight* are shared. A failure reaches the callers that were already waiting
for it and is then forgotten; the next caller starts a fresh call.

A caller that joins a flight started by another request waits at most ``wait`` seconds
(its own deadline): the flight runs to the *starter's* deadline, which may be later.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class FlightWaitTimeoutError(TimeoutError):
    """A joined flight did not land within the joiner's ``wait``."""

    def __init__(self, waited: float) -> None:
        super().__init__(f"a shared call did not finish within {waited:g} s")
        self.waited = waited


class SingleFlight(Generic[K, V]):
    def __init__(self) -> None:
        self._flights: dict[K, asyncio.Future[V]] = {}
        self.shared = 0  # calls that joined a flight instead of starting one

    def in_flight(self, key: K) -> bool:
        return key in self._flights

    async def do(self, key: K, call: Callable[[], Awaitable[V]], *, wait: float | None = None) -> V:
        """``call``'s result, shared with concurrent callers of ``key``. Joining a flight
        already under way, give up after ``wait`` seconds with :class:`FlightWaitTimeoutError`
        (the flight goes on for the others)."""
        flight = self._flights.get(key)
        if flight is not None:
            self.shared += 1
            try:
                async with asyncio.timeout(wait):
                    return await asyncio.shield(flight)
            except TimeoutError:
                if flight.done():
                    raise  # the flight's own failure, not our wait
                raise FlightWaitTimeoutError(wait or 0.0) from None
        future: asyncio.Future[V] = asyncio.get_running_loop().create_future()
        self._flights[key] = future
        try:
            value = await call()
        except BaseException as exc:
            if not future.done():
                future.set_exception(exc)
                future.exception()  # mark retrieved: a lone caller re-raises it below
            raise
        else:
            future.set_result(value)
            return value
        finally:
            self._flights.pop(key, None)

"""The vendor HTTP edge with its resilience: deadlines, retry budget, breaker, concurrency."""

from __future__ import annotations

import asyncio
import random

import httpx
import pytest

from gateway.settings import GatewaySettings, VendorHttpConfig
from gateway.vendor_clients import VendorClients
from vendors.errors import (
    VendorNotFoundError,
    VendorTimeoutError,
    VendorUnavailableError,
)
from vendors.http import (
    CallTimeouts,
    RetryPolicy,
    VendorHttp,
    VendorRejection,
    build_async_client,
)
from vendors.resilience import (
    BreakerConfig,
    BreakerState,
    CircuitBreaker,
    CircuitOpenError,
    RetryBudget,
    RetryBudgetConfig,
)


class Vendor:
    """A fake vendor: ``status`` for every answer, ``delay`` seconds before it; counts."""

    def __init__(self, status: int = 200, delay: float = 0.0) -> None:
        self.status = status
        self.delay = delay
        self.requests = 0
        self.in_flight = 0
        self.most_in_flight = 0

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests += 1
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            if self.delay:
                await asyncio.sleep(self.delay)
            return httpx.Response(self.status, json={"message": "m"})
        finally:
            self.in_flight -= 1


def edge(vendor: Vendor, **resilience: object) -> VendorHttp:
    async def no_sleep(_: float) -> None:
        return None

    options: dict[str, object] = {"sleep": no_sleep, "rng": random.Random(1)} | resilience
    return VendorHttp(
        "demo",
        build_async_client(transport=httpx.MockTransport(vendor)),
        lambda _r: VendorRejection(),
        **options,  # type: ignore[arg-type]
    )


def trip_after(n: int) -> CircuitBreaker:
    return CircuitBreaker("demo", BreakerConfig(failure_threshold=n, cooldown=60))


def get() -> httpx.Request:
    return httpx.Request("GET", "http://demo.test/things/1")


def post() -> httpx.Request:
    return httpx.Request("POST", "http://demo.test/things")


# --- deadlines ---------------------------------------------------------------------------


async def test_an_attempt_past_its_deadline_is_a_timeout_even_on_an_asgi_like_transport() -> None:
    vendor = Vendor(delay=5)
    http = edge(vendor, timeouts=CallTimeouts(attempt=0.05, call=1), retry=RetryPolicy(1))

    with pytest.raises(VendorTimeoutError):
        await http.send(get(), endpoint="getThing", idempotent=True)

    assert vendor.requests == 1


async def test_the_call_deadline_bounds_its_retries() -> None:
    vendor = Vendor(delay=5)
    http = edge(vendor, timeouts=CallTimeouts(attempt=0.05, call=0.12), retry=RetryPolicy(10))

    with pytest.raises(VendorTimeoutError):
        await http.send(get(), endpoint="getThing", idempotent=True)

    assert 2 <= vendor.requests <= 3  # not 10: the call's 0.12 s ran out


async def test_the_settings_timeouts_reach_every_vendor_edge() -> None:
    fast = VendorHttpConfig(attempt_timeout=0.5, call_timeout=1.5, max_concurrency=7)
    clients = VendorClients(GatewaySettings(http={"talon": fast}))

    talon, tallymarks = clients.http("talon"), clients.http("tallymarks")

    assert talon.timeouts == CallTimeouts(attempt=0.5, call=1.5)
    assert talon.limit is not None
    assert talon.limit._value == 7  # a fresh semaphore's free slots
    assert tallymarks.timeouts == CallTimeouts(attempt=4.0, call=8.0)
    assert set(clients.breakers) == {"tallymarks", "omnidesk", "talon"}
    await clients.aclose()


# --- retry budget ------------------------------------------------------------------------


async def test_with_the_budget_spent_a_failing_call_is_not_retried() -> None:
    vendor = Vendor(status=503)
    budget = RetryBudget(RetryBudgetConfig(ratio=0.0, min_retries=2))
    http = edge(vendor, budget=budget, retry=RetryPolicy(attempts=3))

    for _ in range(3):
        with pytest.raises(VendorUnavailableError):
            await http.send(get(), endpoint="getThing", idempotent=True)

    assert vendor.requests == 3 + 2  # three calls, two retries in all
    assert budget.available() == 0


async def test_the_budget_grows_with_the_calls_made() -> None:
    clock = [0.0]
    budget = RetryBudget(RetryBudgetConfig(ratio=0.2, min_retries=0), clock=lambda: clock[0])

    for _ in range(10):
        budget.record_call()

    assert budget.try_spend()
    assert budget.try_spend()
    assert not budget.try_spend()  # 2 = 20 % of 10
    clock[0] += 11
    assert budget.available() == 0  # the calls left the window with the retries


# --- circuit breaker ---------------------------------------------------------------------


async def test_an_open_circuit_fails_fast_without_calling_the_vendor() -> None:
    vendor = Vendor(status=503)
    http = edge(vendor, breaker=trip_after(2), retry=RetryPolicy(attempts=1))
    for _ in range(2):
        with pytest.raises(VendorUnavailableError):
            await http.send(get(), endpoint="getThing", idempotent=True)

    with pytest.raises(CircuitOpenError):
        await http.send(post(), endpoint="createThing", idempotent=False)

    assert vendor.requests == 2


async def test_a_circuit_opening_mid_retry_stops_the_retries_with_the_vendors_error() -> None:
    vendor = Vendor(status=503)
    http = edge(vendor, breaker=trip_after(2), retry=RetryPolicy(attempts=5))

    with pytest.raises(VendorUnavailableError) as raised:
        await http.send(get(), endpoint="getThing", idempotent=True)

    assert not isinstance(raised.value, CircuitOpenError)
    assert raised.value.status == 503
    assert vendor.requests == 2


async def test_4xx_answers_never_open_the_circuit() -> None:
    vendor = Vendor(status=404)
    breaker = trip_after(2)
    http = edge(vendor, breaker=breaker)

    for _ in range(5):
        with pytest.raises(VendorNotFoundError):
            await http.send(get(), endpoint="getThing", idempotent=True)

    assert breaker.state is BreakerState.CLOSED


async def test_timeouts_open_the_circuit() -> None:
    breaker = trip_after(2)
    http = edge(Vendor(delay=5), breaker=breaker, timeouts=CallTimeouts(attempt=0.02, call=1))

    with pytest.raises(VendorTimeoutError):
        await http.send(get(), endpoint="getThing", idempotent=True)

    assert breaker.state is BreakerState.OPEN


# --- concurrency -------------------------------------------------------------------------


async def test_at_most_the_limit_of_calls_reach_the_vendor_at_once_writes_included() -> None:
    vendor = Vendor(delay=0.02)
    http = edge(vendor, limit=asyncio.Semaphore(3))

    await asyncio.gather(
        *(http.send(get(), endpoint="getThing", idempotent=True) for _ in range(6)),
        *(http.send(post(), endpoint="createThing", idempotent=False) for _ in range(6)),
    )

    assert vendor.requests == 12
    assert vendor.most_in_flight == 3


async def test_waiting_for_a_slot_ends_at_the_call_deadline_and_does_not_blame_the_vendor() -> None:
    vendor = Vendor(delay=0.3)
    breaker = trip_after(1)
    http = edge(
        vendor,
        limit=asyncio.Semaphore(1),
        breaker=breaker,
        timeouts=CallTimeouts(attempt=1, call=0.05),
        retry=RetryPolicy(attempts=1),
    )
    slow = asyncio.create_task(
        edge(vendor, limit=http.limit).send(get(), endpoint="getThing", idempotent=True)
    )
    await asyncio.sleep(0.01)

    with pytest.raises(VendorTimeoutError) as raised:
        await http.send(get(), endpoint="getThing", idempotent=True)
    await slow

    assert raised.value.message == "no free connection slot in time"
    assert breaker.state is BreakerState.CLOSED
    assert vendor.requests == 1

"""Within one operation, a vendor that timed out (or whose circuit opened) is refused at once
instead of being waited for again; outside it, and in other operations, nothing changes."""

from __future__ import annotations

import asyncio

import pytest

from cache import CacheKey, ReadThroughCache
from tests.gateway.test_gateway_resilience_http import Vendor, edge, get
from vendors.errors import VendorTimeoutError, VendorUnavailableError
from vendors.http import CallTimeouts, RetryPolicy
from vendors.resilience import BreakerConfig, CircuitBreaker, CircuitOpenError
from vendors.resilience.deadline import operation_deadline
from vendors.resilience.vendor_verdict import (
    REFUSED_AFTER_TIMEOUT,
    VendorVerdicts,
    operation_verdicts,
    verdicts,
)

#: a hung vendor's budget here: short, the assertions count calls, not seconds
HUNG = CallTimeouts(attempt=0.05, call=0.1)


async def test_after_a_timeout_the_operation_does_not_ask_the_vendor_again() -> None:
    vendor = Vendor(delay=5)
    http = edge(vendor, timeouts=HUNG, retry=RetryPolicy(1))

    with operation_deadline(20, margin=1):
        with pytest.raises(VendorTimeoutError) as first:
            await http.send(get(), endpoint="getThing", idempotent=True)
        with pytest.raises(VendorTimeoutError) as later:
            await http.send(get(), endpoint="getOther", idempotent=True)

    assert vendor.requests == 1  # the later call never reached the vendor
    assert first.value.message == "timed out"
    assert later.value.endpoint == "getOther"
    assert later.value.message == REFUSED_AFTER_TIMEOUT


async def test_another_operation_and_code_outside_one_still_ask_the_vendor() -> None:
    vendor = Vendor(delay=5)
    http = edge(vendor, timeouts=HUNG, retry=RetryPolicy(1))

    with operation_deadline(20, margin=1), pytest.raises(VendorTimeoutError):
        await http.send(get(), endpoint="getThing", idempotent=True)
    with operation_deadline(20, margin=1), pytest.raises(VendorTimeoutError):
        await http.send(get(), endpoint="getThing", idempotent=True)
    with pytest.raises(VendorTimeoutError):
        await http.send(get(), endpoint="getThing", idempotent=True)

    assert vendor.requests == 3
    assert verdicts() is None


async def test_the_operations_tasks_share_its_board_and_calls_under_way_keep_their_budget() -> None:
    slow = Vendor(delay=0.3)
    http = edge(slow, timeouts=CallTimeouts(attempt=1, call=1), retry=RetryPolicy(1))
    hung = edge(Vendor(delay=5), timeouts=HUNG, retry=RetryPolicy(1))  # the same vendor

    with operation_deadline(20, margin=1):
        under_way = asyncio.create_task(http.send(get(), endpoint="getSlow", idempotent=True))
        await asyncio.sleep(0)
        with pytest.raises(VendorTimeoutError):
            await asyncio.create_task(hung.send(get(), endpoint="getThing", idempotent=True))
        answer = await under_way  # started before the verdict: not cut short by it
        board = verdicts()
        assert board is not None
        assert board.given_up("demo") is not None

    assert answer.status_code == 200
    assert slow.requests == 1


async def test_other_vendors_and_a_5xx_are_not_given_up_on() -> None:
    failing = Vendor(status=503)
    http = edge(failing, retry=RetryPolicy(1))
    hung = edge(Vendor(delay=5), timeouts=HUNG, retry=RetryPolicy(1))
    hung.vendor = "other"

    with operation_deadline(20, margin=1):
        with pytest.raises(VendorTimeoutError):
            await hung.send(get(), endpoint="getThing", idempotent=True)
        for _ in range(2):
            with pytest.raises(VendorUnavailableError):
                await http.send(get(), endpoint="getThing", idempotent=True)

    assert failing.requests == 2  # a fast refusal costs no budget: asked each time


async def test_after_an_open_circuit_a_later_call_is_refused_even_once_it_would_half_open() -> None:
    vendor = Vendor(status=503)
    breaker = CircuitBreaker("demo", BreakerConfig(failure_threshold=1, cooldown=0))
    http = edge(vendor, breaker=breaker, retry=RetryPolicy(1))

    with operation_deadline(20, margin=1):
        with pytest.raises(VendorUnavailableError):
            await http.send(get(), endpoint="getThing", idempotent=True)
        board = verdicts()
        assert board is not None
        board.record("demo", CircuitOpenError("demo", "getThing", retry_after=5))
        with pytest.raises(CircuitOpenError) as later:
            await http.send(get(), endpoint="getOther", idempotent=True)

    assert vendor.requests == 1  # a cooldown of 0 would have let a probe through
    assert later.value.endpoint == "getOther"
    assert later.value.retry_after is not None
    assert later.value.retry_after <= 5


def test_the_first_verdict_is_kept_and_an_inner_operation_shares_the_board() -> None:
    ticks = iter([10.0, 12.0])
    board = VendorVerdicts(clock=lambda: next(ticks))
    board.record("demo", CircuitOpenError("demo", "a", retry_after=5))
    board.record("demo", VendorTimeoutError("demo", "b", None, "timed out"))
    board.record("other", VendorUnavailableError("other", "c", 503, "vendor error"))

    refused = board.refusal("demo", "d")
    assert isinstance(refused, CircuitOpenError)
    assert refused.retry_after == 3  # what was left of the breaker's 5 s, 2 s later
    assert board.refusal("other", "c") is None
    with operation_verdicts() as outer, operation_verdicts() as inner:
        assert inner is outer


# --- a shared call in flight: an operation that gave up on its vendor does not join it ---

KEY = CacheKey.of("acme", "scope", "talon", "getCustomerInventory", integrationId="c1")


async def _hung_flight(cache: ReadThroughCache, release: asyncio.Event) -> asyncio.Task[str]:
    """Another request's read of ``KEY``, in flight until ``release`` is set."""

    async def slow() -> str:
        await release.wait()
        return "inventory"

    flight = asyncio.create_task(cache.get_or_load(KEY, "inventory", slow))
    await asyncio.sleep(0)  # it starts its flight
    assert cache.flights.in_flight((KEY, 0))
    return flight


async def test_an_operation_that_gave_up_on_the_vendor_does_not_join_its_call_in_flight() -> None:
    cache, release = ReadThroughCache(ttls={"inventory": 30}), asyncio.Event()
    flight = await _hung_flight(cache, release)

    with operation_deadline(20, margin=1):
        board = verdicts()
        assert board is not None
        board.record("talon", VendorTimeoutError("talon", "getCustomerInventory"))
        with pytest.raises(VendorTimeoutError) as refused:
            await cache.get_or_load(KEY, "inventory", _never_called)

    assert refused.value.message == REFUSED_AFTER_TIMEOUT
    assert cache.flights.shared == 0  # it never joined
    release.set()
    assert await flight == "inventory"  # the other request's call goes on


async def test_an_operation_with_no_verdict_joins_the_call_in_flight() -> None:
    cache, release = ReadThroughCache(ttls={"inventory": 30}), asyncio.Event()
    flight = await _hung_flight(cache, release)

    with operation_deadline(20, margin=1):
        joined = asyncio.create_task(cache.get_or_load(KEY, "inventory", _never_called))
        await asyncio.sleep(0)
        release.set()
        assert await joined == "inventory"

    assert cache.flights.shared == 1
    assert await flight == "inventory"


async def _never_called() -> str:
    raise AssertionError("a refused or joining read does not load")

"""The operation's deadline caps every vendor call and every wait on a shared call; the
settings that would let a vendor outlive the operation are refused or clamped."""

from __future__ import annotations

import asyncio
import logging

import httpx
import pytest
from pydantic import ValidationError

from cache.keys import CacheKey
from cache.read_through import ReadThroughCache
from gateway.settings import GatewaySettings, VendorHttpConfig
from gateway.vendor_clients import VendorClients
from tests.gateway.test_gateway_resilience_http import Vendor, edge, get
from vendors.errors import VendorTimeoutError
from vendors.http import CallTimeouts, RetryPolicy
from vendors.resilience import BreakerConfig, BreakerState, CircuitBreaker
from vendors.resilience.deadline import operation_deadline, vendor_time_left


def test_outside_an_operation_there_is_no_cutoff() -> None:
    assert vendor_time_left() is None


def test_the_cutoff_is_the_deadline_less_the_margin_and_only_tightens() -> None:
    with operation_deadline(10, margin=1):
        outer = vendor_time_left()
        with operation_deadline(30, margin=1):
            inner = vendor_time_left()
        with operation_deadline(2, margin=0.5):
            tighter = vendor_time_left()
    assert outer is not None
    assert 8.9 < outer <= 9
    assert inner is not None
    assert inner <= outer  # a longer inner deadline does not extend it
    assert tighter is not None
    assert 1.4 < tighter <= 1.5
    assert vendor_time_left() is None


#: a vendor and call budgets that outlast pytest's timeout: a call that ends at all was
#: ended by the operation's cutoff (no clock needed to tell which deadline fired)
NEVER = 3600.0


async def test_a_vendor_call_ends_at_the_operation_cutoff_not_its_own_budget() -> None:
    vendor = Vendor(delay=NEVER)
    http = edge(vendor, timeouts=CallTimeouts(attempt=NEVER, call=NEVER), retry=RetryPolicy(3))

    with operation_deadline(0.3, margin=0.1), pytest.raises(VendorTimeoutError):
        await http.send(get(), endpoint="getThing", idempotent=True)

    assert vendor.requests == 1  # no retry started past the cutoff


async def test_an_attempt_cut_short_by_the_operation_does_not_count_against_the_vendor() -> None:
    breaker = CircuitBreaker("demo", BreakerConfig(failure_threshold=1, cooldown=60))
    http = edge(
        Vendor(delay=5),
        breaker=breaker,
        timeouts=CallTimeouts(attempt=4, call=8),
        retry=RetryPolicy(1),
    )

    with operation_deadline(0.15, margin=0.05), pytest.raises(VendorTimeoutError):
        await http.send(get(), endpoint="getThing", idempotent=True)

    assert breaker.state is BreakerState.CLOSED


async def test_with_no_time_left_the_call_is_not_sent() -> None:
    vendor = Vendor()
    http = edge(vendor, timeouts=CallTimeouts(attempt=4, call=8))

    with operation_deadline(0.5, margin=0.5), pytest.raises(VendorTimeoutError) as raised:
        await http.send(get(), endpoint="getThing", idempotent=True)

    assert vendor.requests == 0
    assert raised.value.message == "no time left in the operation"


async def test_a_request_joining_a_shared_load_waits_only_until_its_own_cutoff() -> None:
    cache = ReadThroughCache(ttls={"thing": 60})
    key = CacheKey.of("acme", "scope", "demo", "getThing", id=1)
    release = asyncio.Event()

    async def slow_load() -> str:
        await release.wait()
        return "thing"

    async def early_request() -> str:
        with operation_deadline(10, margin=1):
            return await cache.get_or_load(key, "thing", slow_load)

    first = asyncio.create_task(early_request())
    await asyncio.sleep(0)
    with operation_deadline(0.2, margin=0.1), pytest.raises(VendorTimeoutError) as raised:
        await cache.get_or_load(key, "thing", slow_load)
    assert not first.done()  # it gave up while the load it joined was still held
    release.set()

    assert raised.value.vendor == "demo"
    assert await first == "thing"  # the shared load went on for the request that started it


def test_a_margin_that_eats_the_whole_deadline_is_refused() -> None:
    with pytest.raises(ValidationError, match="vendor_deadline_margin"):
        GatewaySettings(execution_timeout=1, vendor_deadline_margin=1)


async def test_a_call_budget_past_the_operation_deadline_is_clamped_with_a_warning(
    caplog: pytest.LogCaptureFixture,
) -> None:
    slow = VendorHttpConfig(attempt_timeout=12, call_timeout=30)
    settings = GatewaySettings(execution_timeout=10, http={"talon": slow})

    with caplog.at_level(logging.WARNING, logger="vendors"):
        clients = VendorClients(settings, transports={"talon": httpx.MockTransport(Vendor())})

    assert clients.http("talon").timeouts == CallTimeouts(attempt=9, call=9)
    assert clients.http("omnidesk").timeouts == CallTimeouts(attempt=4, call=8)
    assert any("talon call_timeout 30 s" in r.getMessage() for r in caplog.records)
    await clients.aclose()

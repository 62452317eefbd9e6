"""Stale-if-error: a vendor read that fails retryably is answered from a recently expired
cache entry, and the response says so in ``extensions.stale``."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable

import pytest

from cache import CacheKey, ReadThroughCache, StaleRead, Tag, TTLStore
from gateway.settings import DEFAULT_TTLS, GatewaySettings
from tests.schema.gateway_harness import Harness, harness
from vendors.errors import (
    VendorError,
    VendorNotFoundError,
    VendorRateLimitedError,
    VendorTimeoutError,
    VendorUnavailableError,
)
from vendors.resilience import CircuitOpenError

KEY = CacheKey.of("acme", "scope", "tallymarks", "getCustomer", customerId="c1")
TAG = Tag("acme", "tallymarks", "customer", "c1")


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def cache(clock: Clock, stale_if_error: float = 300) -> ReadThroughCache:
    return ReadThroughCache(
        store=TTLStore(timer=clock, keep_stale_for=600),
        ttls={"customer": 30},
        stale_if_error=stale_if_error,
    )


async def value() -> str:
    return "cached"


def failing(error: VendorError) -> Callable[[], Awaitable[str]]:
    async def load() -> str:
        raise error

    return load


@pytest.mark.parametrize(
    "error",
    [
        VendorUnavailableError("tallymarks", "getCustomer", 503),
        VendorTimeoutError("tallymarks", "getCustomer"),
        VendorRateLimitedError("tallymarks", "getCustomer"),
        CircuitOpenError("tallymarks", "getCustomer"),
    ],
)
async def test_a_retryable_failure_is_answered_from_an_expired_entry(error: VendorError) -> None:
    clock = Clock()
    c = cache(clock)
    await c.get_or_load(KEY, "customer", value, [TAG])
    clock.now += 100  # 70 s past the TTL
    served: list[StaleRead] = []

    got = await c.get_or_load(KEY, "customer", failing(error), on_stale=served.append)

    assert got == "cached"
    assert served == [StaleRead("tallymarks", "getCustomer", "customer", 100.0)]
    assert c.stats.stale_served == 1


async def test_past_the_stale_bound_the_failure_reaches_the_caller() -> None:
    clock = Clock()
    c = cache(clock, stale_if_error=60)
    await c.get_or_load(KEY, "customer", value)
    clock.now += 30 + 61

    with pytest.raises(VendorUnavailableError):
        await c.get_or_load(KEY, "customer", failing(VendorUnavailableError("t", "e")))


async def test_a_refusal_is_never_answered_stale() -> None:
    clock = Clock()
    c = cache(clock)
    await c.get_or_load(KEY, "customer", value)
    clock.now += 31

    with pytest.raises(VendorNotFoundError):
        await c.get_or_load(KEY, "customer", failing(VendorNotFoundError("t", "e", 404)))


async def test_an_invalidated_entry_is_never_served_stale() -> None:
    clock = Clock()
    c = cache(clock)
    await c.get_or_load(KEY, "customer", value, [TAG])
    c.invalidate([TAG])  # our own write changed it: the old value is wrong, not just old

    with pytest.raises(VendorUnavailableError):
        await c.get_or_load(KEY, "customer", failing(VendorUnavailableError("t", "e")))


async def test_switched_off_nothing_is_served_stale() -> None:
    clock = Clock()
    c = cache(clock, stale_if_error=0)
    await c.get_or_load(KEY, "customer", value)
    clock.now += 31

    with pytest.raises(VendorUnavailableError):
        await c.get_or_load(KEY, "customer", failing(VendorUnavailableError("t", "e")))


# --- through the gateway -----------------------------------------------------------------

QUERY = "query($id: ID!) { customer(id: $id) { firstName email pointsBalance { points } } }"
TTL = 0.05


@pytest.fixture
async def gw() -> AsyncIterator[Harness]:
    ttls = {**DEFAULT_TTLS, "customer": TTL, "balance": TTL}
    async with harness(GatewaySettings(cache_ttls=ttls, cache_stale_if_error=0.5)) as h:
        yield h


async def test_with_the_vendor_down_expired_data_is_served_and_marked_stale(gw: Harness) -> None:
    person = gw.acme.customers[3]
    fresh = await gw.query(QUERY, {"id": person.customer_id})
    await asyncio.sleep(TTL * 2)
    gw.fault("tallymarks", down=True)
    gw.reset_calls()

    body = await gw.query(QUERY, {"id": person.customer_id})

    assert "errors" not in body
    assert body["data"] == fresh["data"]
    stale = body["extensions"]["stale"]
    assert [(s["vendor"], s["resource"]) for s in stale] == [
        ("tallymarks", "balance"),
        ("tallymarks", "customer"),
    ]
    assert all(TTL <= s["ageSeconds"] < 5 for s in stale)
    assert gw.calls("tallymarks") >= 2  # the vendor was asked first


async def test_a_fresh_answer_carries_no_stale_marker(gw: Harness) -> None:
    body = await gw.query(QUERY, {"id": gw.acme.customers[3].customer_id})

    assert "errors" not in body
    assert "stale" not in body.get("extensions", {})


async def test_past_the_stale_bound_the_fields_fail_as_usual(gw: Harness) -> None:
    person = gw.acme.customers[4]
    await gw.query(QUERY, {"id": person.customer_id})
    await asyncio.sleep(TTL + 0.6)
    gw.fault("tallymarks", down=True)

    body = await gw.query(QUERY, {"id": person.customer_id})

    # its existence check failed too: the customer rests on the other vendors' records
    assert body["data"]["customer"] == {"firstName": None, "email": None, "pointsBalance": None}
    assert [e["extensions"].get("identity") for e in body["errors"]][-1] == "UNCONFIRMED"
    assert {e["extensions"]["code"] for e in body["errors"]} == {"UPSTREAM_UNAVAILABLE"}
    assert {e["extensions"]["vendor"] for e in body["errors"]} == {"tallymarks"}
    assert "stale" not in body.get("extensions", {})

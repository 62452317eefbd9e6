"""The cross-request read cache: tenant scoping, TTLs, single-flight, invalidation, stale."""

from __future__ import annotations

import asyncio

import pytest

from cache import CacheKey, ReadThroughCache, SingleFlight, Tag, TTLStore
from cache.read_through import StaleRead
from vendors.credential_scope import credential_scope
from vendors.errors import VendorUnavailableError


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Upstream:
    """Counts loads; ``gate`` lets a test hold a load in flight."""

    def __init__(self) -> None:
        self.calls = 0
        self.gate: asyncio.Event | None = None
        self.value = "v1"

    async def load(self) -> str:
        self.calls += 1
        if self.gate is not None:
            await self.gate.wait()
        return self.value


def cache(clock: Clock, **ttls: float) -> ReadThroughCache:
    return ReadThroughCache(store=TTLStore(timer=clock, keep_stale_for=600), ttls=ttls)


KEY_A = CacheKey.of("acme", "scope1", "tallymarks", "getCustomer", customerId="c1")
TAG_A = Tag("acme", "tallymarks", "customer", "c1")


def test_keys_never_collide_across_tenants_or_credential_scopes() -> None:
    a = CacheKey.of("acme", credential_scope("k1"), "talon", "inventory", id="c1")
    b = CacheKey.of("globex", credential_scope("k1"), "talon", "inventory", id="c1")
    c = CacheKey.of("acme", credential_scope("k2"), "talon", "inventory", id="c1")
    assert len({a, b, c}) == 3


def test_keys_normalise_argument_order_and_none() -> None:
    a = CacheKey.of("t", "s", "v", "op", b=1, a=[2, 1], c=None)
    b = CacheKey.of("t", "s", "v", "op", a=(1, 2), b="1")
    assert a == b


def test_credential_scope_is_one_way_and_short() -> None:
    scope = credential_scope("super-secret-key")
    assert "secret" not in scope
    assert len(scope) == 16


async def test_a_second_read_within_the_ttl_makes_no_call() -> None:
    clock, upstream = Clock(), Upstream()
    c = cache(clock, customer=30)

    first = await c.get_or_load(KEY_A, "customer", upstream.load, [TAG_A])
    second = await c.get_or_load(KEY_A, "customer", upstream.load, [TAG_A])

    assert first == second == "v1"
    assert upstream.calls == 1
    assert (c.stats.hits, c.stats.misses) == (1, 1)


async def test_after_the_ttl_the_value_is_loaded_again() -> None:
    clock, upstream = Clock(), Upstream()
    c = cache(clock, customer=30)
    await c.get_or_load(KEY_A, "customer", upstream.load)

    clock.now += 31
    await c.get_or_load(KEY_A, "customer", upstream.load)

    assert upstream.calls == 2


async def test_a_kind_without_ttl_is_not_cached() -> None:
    clock, upstream = Clock(), Upstream()
    c = cache(clock)
    await c.get_or_load(KEY_A, "session", upstream.load)
    await c.get_or_load(KEY_A, "session", upstream.load)
    assert upstream.calls == 2


async def test_concurrent_identical_reads_share_one_call() -> None:
    clock, upstream = Clock(), Upstream()
    upstream.gate = asyncio.Event()
    c = cache(clock, customer=30)

    readers = [
        asyncio.create_task(c.get_or_load(KEY_A, "customer", upstream.load)) for _ in range(5)
    ]
    await asyncio.sleep(0)
    upstream.gate.set()
    values = await asyncio.gather(*readers)

    assert values == ["v1"] * 5
    assert upstream.calls == 1


async def test_failures_are_shared_in_flight_but_never_cached() -> None:
    calls = 0
    gate = asyncio.Event()

    async def failing() -> str:
        nonlocal calls
        calls += 1
        await gate.wait()
        raise RuntimeError("vendor down")

    c = cache(Clock(), customer=30)
    readers = [asyncio.create_task(c.get_or_load(KEY_A, "customer", failing)) for _ in range(3)]
    await asyncio.sleep(0)
    gate.set()
    results = await asyncio.gather(*readers, return_exceptions=True)

    assert all(isinstance(r, RuntimeError) for r in results)
    assert calls == 1
    upstream = Upstream()
    assert await c.get_or_load(KEY_A, "customer", upstream.load) == "v1"
    assert upstream.calls == 1


async def test_invalidation_drops_exactly_the_tagged_entries() -> None:
    clock, upstream = Clock(), Upstream()
    c = cache(clock, customer=30)
    key_b = CacheKey.of("acme", "scope1", "tallymarks", "getCustomer", customerId="c2")
    tag_b = Tag("acme", "tallymarks", "customer", "c2")
    await c.get_or_load(KEY_A, "customer", upstream.load, [TAG_A])
    await c.get_or_load(key_b, "customer", upstream.load, [tag_b])

    dropped = c.invalidate([TAG_A])
    await c.get_or_load(KEY_A, "customer", upstream.load, [TAG_A])
    await c.get_or_load(key_b, "customer", upstream.load, [tag_b])

    assert dropped == 1
    assert upstream.calls == 3


async def test_a_read_in_flight_during_a_write_is_not_stored_nor_joined() -> None:
    clock, upstream = Clock(), Upstream()
    upstream.gate = asyncio.Event()
    c = cache(clock, customer=30)

    before_write = asyncio.create_task(c.get_or_load(KEY_A, "customer", upstream.load, [TAG_A]))
    await asyncio.sleep(0)
    c.invalidate([TAG_A])
    upstream.value = "v2"
    after_write = asyncio.create_task(c.get_or_load(KEY_A, "customer", upstream.load, [TAG_A]))
    await asyncio.sleep(0)
    upstream.gate.set()
    await before_write

    assert await after_write == "v2"
    assert upstream.calls == 2
    assert await c.get_or_load(KEY_A, "customer", upstream.load, [TAG_A]) == "v2"


async def _vendor_down() -> str:
    raise VendorUnavailableError("tallymarks", "getCustomer", 503)


@pytest.mark.parametrize(("stale_if_error", "served"), [(120, True), (10, False)])
async def test_stale_values_are_available_within_the_bound_only(
    stale_if_error: float, served: bool
) -> None:
    """Expired 30 s ago: a failing load is answered from the stale entry only while the
    bound reaches that far back."""
    clock, upstream = Clock(), Upstream()
    c = cache(clock, customer=30)
    c.stale_if_error = stale_if_error
    await c.get_or_load(KEY_A, "customer", upstream.load)
    clock.now += 60
    seen: list[StaleRead] = []

    if served:
        value = await c.get_or_load(KEY_A, "customer", _vendor_down, on_stale=seen.append)
        assert value == "v1"
        assert seen == [StaleRead("tallymarks", "getCustomer", "customer", 60.0)]
    else:
        with pytest.raises(VendorUnavailableError):
            await c.get_or_load(KEY_A, "customer", _vendor_down, on_stale=seen.append)
        assert seen == []
    assert c.stats.stale_served == int(served)


def test_the_store_is_bounded() -> None:
    store: TTLStore[str] = TTLStore(maxsize=3, timer=Clock())
    for i in range(10):
        store.set(f"k{i}", i, ttl=30)
    assert len(store) == 3


async def test_single_flight_forgets_a_finished_call() -> None:
    flights: SingleFlight[str, int] = SingleFlight()
    assert await flights.do("k", lambda: asyncio.sleep(0, result=1)) == 1
    assert not flights.in_flight("k")
    with pytest.raises(ZeroDivisionError):
        await flights.do("k", _boom)


async def _boom() -> int:
    return 1 // 0

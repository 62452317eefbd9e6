"""A cache kind whose TTL is 0 does no cache work: no key is built, the store is never
asked and no single-flight is joined; the request's dataloaders still make one call per
resource, so the upstream counts stay as pinned."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from bench.scenarios import CUSTOMER_360, CUSTOMER_360_FIELDS, CUSTOMER_360_KINDS
from cache import CacheKey, ReadThroughCache, TTLStore
from gateway.settings import DEFAULT_TTLS
from tests.schema.gateway_harness import Harness, harness, patient_settings

NO_TTLS = dict.fromkeys(DEFAULT_TTLS, 0.0)


class Spy:
    """Counts the calls of the cache's store, its single-flight and key building."""

    def __init__(self, cache: ReadThroughCache, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls: Counter[str] = Counter()
        self.operations: Counter[str] = Counter()
        for name in ("get", "get_stale", "set", "put"):
            monkeypatch.setattr(cache.store, name, self._counting(name, getattr(cache.store, name)))
        monkeypatch.setattr(cache.flights, "do", self._counting("flight", cache.flights.do))
        made = CacheKey.of

        def of(*args: Any, **kwargs: Any) -> CacheKey:
            key = made(*args, **kwargs)
            self.calls["key"] += 1
            self.operations[key.operation] += 1
            return key

        monkeypatch.setattr(CacheKey, "of", of)

    def _counting(self, name: str, method: Callable[..., Any]) -> Callable[..., Any]:
        def counted(*args: Any, **kwargs: Any) -> Any:
            self.calls[name] += 1
            return method(*args, **kwargs)

        return counted


async def _spied(
    ttls: dict[str, float], monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[tuple[Harness, Spy]]:
    async with harness(patient_settings(cache_ttls=ttls)) as gw:
        yield gw, Spy(gw.gateway.state.services.cache, monkeypatch)


@pytest.fixture
async def cold(monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[tuple[Harness, Spy]]:
    async for found in _spied(NO_TTLS, monkeypatch):
        yield found


async def test_at_ttl_0_a_customer_360_never_touches_the_cache(
    cold: tuple[Harness, Spy],
) -> None:
    gw, spy = cold
    for customer in gw.acme.customers[:2]:
        gw.reset_calls()
        body = await gw.query(CUSTOMER_360, {"id": customer.customer_id})

        assert "errors" not in body
        assert body["data"]["customer"]["email"] == customer.email
        assert gw.calls() == len(CUSTOMER_360_KINDS)  # as pinned: one call per resource
    assert spy.calls == Counter()
    assert gw.gateway.state.services.cache.stats.misses == 2 * len(CUSTOMER_360_KINDS)


async def test_at_ttl_0_a_request_still_shares_one_call_per_resource(
    cold: tuple[Harness, Spy],
) -> None:
    gw, spy = cold
    twice = (
        CUSTOMER_360_FIELDS
        + "query Twice($id: ID!) { a: customer(id: $id) { ...Customer360 } "
        + "b: customer(id: $id) { ...Customer360 } }"
    )

    body = await gw.query(twice, {"id": gw.acme.customers[0].customer_id})

    assert "errors" not in body
    assert body["data"]["a"] == body["data"]["b"]
    assert gw.calls() == len(CUSTOMER_360_KINDS)
    assert spy.calls == Counter()


async def test_only_kinds_with_a_ttl_go_through_the_cache(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async for gw, spy in _spied({**NO_TTLS, "customer": 3600.0}, monkeypatch):
        customer_id = gw.acme.customers[0].customer_id
        await gw.query(CUSTOMER_360, {"id": customer_id})
        gw.reset_calls()
        body = await gw.query(CUSTOMER_360, {"id": customer_id})

        assert "errors" not in body
        assert gw.calls() == len(CUSTOMER_360_KINDS) - 1  # the customer record was kept
        assert set(spy.operations) == {"getCustomer"}
        assert spy.calls["set"] == 1
        assert spy.calls["flight"] == 1  # the first request's load; the second hit L1


async def test_the_read_through_cache_skips_a_kind_without_ttl() -> None:
    class NoStore(TTLStore[CacheKey]):
        def get(self, key: CacheKey) -> Any:
            raise AssertionError("the store was asked")

        def set(self, *args: Any, **kwargs: Any) -> None:
            raise AssertionError("the store was written")

    loads = 0

    async def load() -> str:
        nonlocal loads
        loads += 1
        return "v"

    cache = ReadThroughCache(store=NoStore(), ttls={"session": 0.0})
    served: list[object] = []
    key = CacheKey.of("acme", "scope", "talon", "getCustomerSession", customerSessionId="s1")

    assert await cache.get_or_load(key, "session", load, on_read=served.append) == "v"
    assert await cache.get_or_load(key, "session", load, on_read=served.append) == "v"
    assert loads == 2
    assert served == [None, None]  # nothing cacheable: the response cache keeps no answer
    assert cache.stats.misses == 2

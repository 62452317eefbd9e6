"""Two gateway apps (two replicas) on the same sandboxes and one real Redis, through their
real ASGI apps: what one replica read the other serves from L2 with identical data; a write
through one is visible through the other at once; rate limits and persisted queries are
shared; with Redis gone both keep answering."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from demo.tenants import demo_tenants
from gateway.app import create_app
from gateway.settings import GatewaySettings, VendorHttpConfig
from sandbox.common import FaultConfig
from sandbox.registry import VENDOR_APPS
from tests.schema.gateway_harness import API_KEYS, URLS, VENDORS, WORLD
from tests.schema.test_schema_customer_360 import CUSTOMER_360, UPDATE
from tests.schema.test_schema_mutation_customer import UPDATE as UPDATE_PERSON
from tests.shared_tier.conftest import redis_settings
from tests.support.redis_server import RedisServer


@dataclass
class Replicas:
    sandboxes: dict[str, FastAPI]
    apps: list[FastAPI]
    clients: list[httpx.AsyncClient]

    async def query(
        self, replica: int, query: str, variables: dict[str, Any] | None = None, **extra: Any
    ) -> httpx.Response:
        return await self.clients[replica].post(
            "/graphql",
            json={"query": query, "variables": variables or {}, **extra},
            headers={"x-api-key": "key-acme"},
        )

    def calls(self) -> int:
        return sum(self.sandboxes[v].state.runtime.counters.count() for v in VENDORS)

    def cache(self, replica: int) -> Any:
        return self.apps[replica].state.services.cache


@asynccontextmanager
async def two_replicas(settings: GatewaySettings) -> AsyncIterator[Replicas]:
    sandboxes = {v: VENDOR_APPS[v](WORLD) for v in VENDORS}
    for app in sandboxes.values():
        app.state.runtime.faults.set(FaultConfig())
        app.state.runtime.counters.reset()
    apps = [
        create_app(
            settings,
            tenants=demo_tenants(WORLD, URLS),
            api_keys=API_KEYS,
            transports={v: httpx.ASGITransport(app=a) for v, a in sandboxes.items()},
        )
        for _ in range(2)
    ]
    async with AsyncExitStack() as stack:
        clients = [
            await stack.enter_async_context(
                httpx.AsyncClient(transport=httpx.ASGITransport(app=a), base_url="http://gw")
            )
            for a in apps
        ]
        try:
            yield Replicas(sandboxes, apps, clients)
        finally:
            for app in apps:
                await app.state.services.aclose()


#: both replicas and the sandboxes share the test's event loop, so a 50-customer page queues
#: hundreds of vendor calls on it: on a loaded machine an attempt can outlast the 4 s default
#: without any vendor being slow. These tests are about the shared tier, not deadlines.
PATIENT = VendorHttpConfig(attempt_timeout=15, call_timeout=18)


def shared(redis: RedisServer, **settings: Any) -> GatewaySettings:
    settings.setdefault("http", dict.fromkeys(("tallymarks", "omnidesk", "talon"), PATIENT))
    return GatewaySettings(redis=redis_settings(redis), **settings)


async def test_the_other_replica_serves_the_360_page_from_l2_with_identical_data(
    redis: RedisServer,
) -> None:
    async with two_replicas(shared(redis)) as r:
        first = (await r.query(0, CUSTOMER_360, {"first": 50})).json()
        cold_calls = r.calls()
        second = (await r.query(1, CUSTOMER_360, {"first": 50})).json()

        assert "errors" not in first
        assert second == first  # every vendor model survived the trip through Redis
        assert r.calls() == cold_calls  # no upstream call for the second replica
        stats = r.cache(1).stats
        assert stats.l2_hits == 351
        assert stats.misses == 0


async def test_a_write_through_one_replica_is_read_through_the_other_at_once(
    redis: RedisServer,
) -> None:
    async with two_replicas(shared(redis)) as r:
        page = (await r.query(1, CUSTOMER_360, {"first": 50})).json()
        await r.query(0, CUSTOMER_360, {"first": 50})  # both replicas hold it in L1
        target = page["data"]["customers"]["edges"][3]["node"]["customerId"]

        updated = (await r.query(0, UPDATE, {"id": target, "key": "two-replicas"})).json()
        assert updated["data"]["updateCustomer"]["complete"] is True
        after = (await r.query(1, CUSTOMER_360, {"first": 50})).json()

        nodes = {e["node"]["customerId"]: e["node"] for e in after["data"]["customers"]["edges"]}
        assert nodes[target]["firstName"] == "Renamed"


async def test_a_rate_limit_holds_across_both_replicas(redis: RedisServer) -> None:
    settings = shared(redis, rate_limit={"rate": 0.2, "burst": 4})
    async with two_replicas(settings) as r:
        statuses = [(await r.query(i % 2, "{ __typename }")).status_code for i in range(10)]
        refused = await r.query(0, "{ __typename }")

    assert statuses.count(200) == 4  # one bucket for both, not 4 per replica
    assert statuses[4:] == [429] * 6
    body = refused.json()
    assert refused.status_code == 429
    assert body["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
    assert int(refused.headers["retry-after"]) >= 1


async def test_a_persisted_query_registered_on_one_replica_runs_on_the_other(
    redis: RedisServer,
) -> None:
    query = "query Hello { __typename }"
    digest = hashlib.sha256(query.encode()).hexdigest()
    ext = {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": digest}}}
    async with two_replicas(shared(redis)) as r:
        registered = await r.clients[0].post(
            "/graphql", json={"query": query, **ext}, headers={"x-api-key": "key-acme"}
        )
        by_hash = await r.clients[1].post("/graphql", json=ext, headers={"x-api-key": "key-acme"})

    assert registered.json() == {"data": {"__typename": "Query"}}
    assert by_hash.json() == {"data": {"__typename": "Query"}}


async def test_with_redis_gone_both_replicas_answer_and_say_they_are_degraded(
    redis: RedisServer,
) -> None:
    async with two_replicas(shared(redis)) as r:
        before = (await r.query(0, CUSTOMER_360, {"first": 5})).json()
        redis.kill()
        try:
            answers = [(await r.query(i % 2, CUSTOMER_360, {"first": 5})) for i in range(4)]
            ready = await r.clients[0].get("/readyz")
            metrics = (await r.clients[0].get("/metrics")).text
        finally:
            redis.start()

    assert all(a.status_code == 200 for a in answers)
    assert all(a.json() == before for a in answers)
    assert ready.status_code == 200
    assert ready.json()["sharedTier"] == "degraded"
    assert "cg_redis_up 0.0" in metrics


@pytest.mark.parametrize("rate", [0.2])
async def test_without_redis_the_rate_limit_is_per_process(rate: float) -> None:
    settings = GatewaySettings(rate_limit={"rate": rate, "burst": 2})
    async with two_replicas(settings) as r:
        statuses = [(await r.query(i % 2, "{ __typename }")).status_code for i in range(6)]
    assert statuses.count(200) == 4  # 2 per replica: each keeps its own buckets


async def test_a_write_retried_on_the_other_replica_finishes_without_writing_twice(
    redis: RedisServer,
) -> None:
    person = WORLD.tenants[0].customers[4]
    variables = {
        "id": person.customer_id,
        "input": {"firstName": "Hedy", "email": "hedy@example.org"},
        "key": "update-across-replicas",
    }
    async with two_replicas(shared(redis)) as r:
        omnidesk = r.sandboxes["omnidesk"].state.runtime
        omnidesk.faults.set(FaultConfig(error_rate=1.0))
        failed = (await r.query(0, UPDATE_PERSON, variables)).json()
        omnidesk.faults.set(FaultConfig())
        retried = (await r.query(1, UPDATE_PERSON, variables)).json()
        counters = {v: r.sandboxes[v].state.runtime.counters for v in VENDORS}

    assert failed["data"]["updateCustomer"]["complete"] is False
    payload = retried["data"]["updateCustomer"]
    assert payload["complete"] is True
    assert {o["vendor"]: o["status"] for o in payload["outcomes"]} == {
        "TALLYMARKS": "ALREADY_DONE",
        "OMNIDESK": "SUCCEEDED",
        "TALON": "ALREADY_DONE",
    }
    assert counters["tallymarks"].count("PATCH /api/v1/customers/{customerId}") == 1
    assert counters["talon"].count("PUT /v2/customer_profiles/{integrationId}") == 1


async def test_a_request_costs_one_redis_round_trip_to_catch_up(redis: RedisServer) -> None:
    variables = {"first": 3}
    async with two_replicas(shared(redis)) as r:
        link = r.apps[0].state.services.redis
        await r.query(0, CUSTOMER_360, variables)  # a miss: executed, reads loaded
        before = link.outcomes["catch_up", "ok"]
        await r.query(0, CUSTOMER_360, variables)  # a hit: answered by the response cache
        await r.query(0, CUSTOMER_360, {"first": 4})  # a miss served from L1 and L2

        assert link.outcomes["catch_up", "ok"] - before == 2


async def test_a_slow_redis_fails_no_request_and_the_tier_comes_back(redis: RedisServer) -> None:
    import threading

    settings = GatewaySettings(redis=redis_settings(redis, timeout=0.2))
    stalled = threading.Thread(target=lambda: redis.client().execute_command("DEBUG", "SLEEP", "2"))
    async with two_replicas(settings) as r:
        link = r.apps[0].state.services.redis
        stalled.start()
        await asyncio.sleep(0.1)  # Redis is now busy for 2 s
        answers = [await r.query(0, CUSTOMER_360, {"first": n}) for n in (2, 3, 4, 5)]
        stalled.join()
        for _ in range(100):  # the probe finds Redis answering again
            if link.up:
                break
            await asyncio.sleep(0.05)

        assert [a.status_code for a in answers] == [200] * 4
        assert all("errors" not in a.json() for a in answers)
        assert sum(n for (_, outcome), n in link.outcomes.items() if outcome == "error") > 0
        assert link.up

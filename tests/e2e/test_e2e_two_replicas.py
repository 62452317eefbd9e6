"""Two gateway processes behind no load balancer but one Redis, on sandboxes in their own
process: they behave as one gateway. Prints the L1/L2 hit rates of a mixed run (``-s``)."""

from __future__ import annotations

import asyncio
import random
import re
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from gateway.playground.page import example_operations
from tests.support.redis_server import RedisServer, redis_server
from tests.support.replica_processes import Replica, Sandboxes, replicas, sandbox_processes

CUSTOMER_360 = next(text for _, text in example_operations() if "Customer360" in text)
RENAME = """
mutation($id: ID!, $name: String!, $key: String!) {
  updateCustomer(id: $id, input: {firstName: $name}, idempotencyKey: $key) { complete }
}
"""
FIRST_NAME = "query($id: ID!) { customer(id: $id) { firstName } }"


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return Path(tmp_path_factory.mktemp("replicas"))


@pytest.fixture(scope="module")
def sandboxes(workdir: Path) -> Iterator[Sandboxes]:
    with sandbox_processes(workdir) as running:
        yield running


@pytest.fixture(scope="module")
def redis(workdir: Path) -> Iterator[RedisServer]:
    with redis_server(workdir) as server:
        yield server


def ids(sandboxes: Sandboxes) -> list[str]:
    return [c.customer_id for c in sandboxes.world.tenants[0].customers]


async def post(
    client: httpx.AsyncClient, replica: Replica, query: str, variables: dict[str, str]
) -> httpx.Response:
    return await client.post(
        f"{replica.url}/graphql",
        json={"query": query, "variables": variables},
        headers={"x-api-key": replica.key},
        timeout=30,
    )


def metric(text: str, name: str, labels: str = "") -> float:
    pattern = re.escape(name) + (re.escape("{" + labels + "}") if labels else "") + r" (\S+)"
    found = re.search(r"^" + pattern + "$", text, re.MULTILINE)
    return float(found[1]) if found else 0.0


async def test_a_write_through_one_replica_is_read_at_once_through_the_other(
    sandboxes: Sandboxes, redis: RedisServer, workdir: Path
) -> None:
    customer = ids(sandboxes)[0]
    with replicas(sandboxes, workdir, 2, CG_REDIS__URL=redis.url) as (a, b):
        async with httpx.AsyncClient() as client:
            for round_, name in enumerate(("Ada", "Bea", "Cleo", "Dora", "Eve")):
                # both replicas hold the current name in L1 before each write
                for replica in (a, b):
                    await post(client, replica, FIRST_NAME, {"id": customer})
                written = await post(
                    client, a, RENAME, {"id": customer, "name": name, "key": f"rename-{round_}"}
                )
                assert written.json()["data"]["updateCustomer"]["complete"] is True
                read = await post(client, b, FIRST_NAME, {"id": customer})
                assert read.json()["data"]["customer"]["firstName"] == name


async def test_redis_killed_mid_run_fails_no_request_and_the_tier_comes_back(
    sandboxes: Sandboxes, redis: RedisServer, workdir: Path
) -> None:
    customers = ids(sandboxes)
    rng = random.Random(5)
    failures: list[str] = []
    done = 0
    settings = {"CG_REDIS__URL": redis.url, "CG_REDIS__RETRY_INTERVAL": "0.3"}
    with replicas(sandboxes, workdir, 2, **settings) as pair:
        async with httpx.AsyncClient() as client:

            async def clients_loop(until: float) -> None:
                nonlocal done
                while time.monotonic() < until:
                    replica = pair[rng.randrange(2)]
                    response = await post(
                        client, replica, CUSTOMER_360, {"customerId": rng.choice(customers[:20])}
                    )
                    body = response.json()
                    if response.status_code != 200 or body.get("errors"):
                        failures.append(f"{response.status_code} {body.get('errors')}")
                    done += 1

            start = time.monotonic()
            loops = [asyncio.create_task(clients_loop(start + 9)) for _ in range(4)]
            await asyncio.sleep(2.5)
            redis.kill()
            await asyncio.sleep(3)
            redis.start()
            await asyncio.gather(*loops)

            metrics = [(await client.get(f"{r.url}/metrics")).text for r in pair]
            deadline = time.monotonic() + 15
            while not all(metric(m, "cg_redis_up") == 1.0 for m in metrics):
                assert time.monotonic() < deadline, "a replica did not reconnect"
                await asyncio.sleep(0.3)
                metrics = [(await client.get(f"{r.url}/metrics")).text for r in pair]
            l2_before = sum(metric(m, "cg_cache_tier_hits_total", 'tier="l2"') for m in metrics)
            # after recovery, what one replica reads the other finds in L2 again (customers
            # the run did not touch, so neither replica holds them in L1)
            for customer in customers[20:25]:
                await post(client, pair[0], CUSTOMER_360, {"customerId": customer})
                await post(client, pair[1], CUSTOMER_360, {"customerId": customer})
            after = [(await client.get(f"{r.url}/metrics")).text for r in pair]
            ready = [(await client.get(f"{r.url}/readyz")).json() for r in pair]

    assert failures == [], failures[:3]
    assert done > 20
    assert sum(metric(m, "cg_cache_tier_hits_total", 'tier="l2"') for m in after) > l2_before
    assert [r["sharedTier"] for r in ready] == ["ok", "ok"]
    l1 = sum(metric(m, "cg_cache_tier_hits_total", 'tier="l1"') for m in after)
    l2 = sum(metric(m, "cg_cache_tier_hits_total", 'tier="l2"') for m in after)
    misses = sum(metric(m, "cg_cache_misses_total") for m in after)
    total = l1 + l2 + misses
    print(
        f"\n{done} requests over two replicas, Redis killed for 3 s:"
        f" L1 {l1 / total:.0%}, L2 {l2 / total:.0%}, vendor {misses / total:.0%}"
        f" of {int(total)} cache lookups"
    )


async def test_a_rate_limit_is_enforced_across_both_replicas(
    sandboxes: Sandboxes, redis: RedisServer, workdir: Path
) -> None:
    settings = {
        "CG_REDIS__URL": redis.url,
        "CG_RATE_LIMIT__RATE": "0.5",
        "CG_RATE_LIMIT__BURST": "6",
    }
    with replicas(sandboxes, workdir, 2, **settings) as (a, b):
        async with httpx.AsyncClient() as client:
            started = time.monotonic()
            statuses = [
                (await post(client, (a, b)[i % 2], "{ __typename }", {})).status_code
                for i in range(16)
            ]
            elapsed = time.monotonic() - started

    allowed = statuses.count(200)
    # one bucket for the principal: the burst plus what refilled meanwhile, not twice the burst
    assert 6 <= allowed <= 6 + int(elapsed * 0.5) + 1 < 12
    assert set(statuses) <= {200, 429}

"""Two replicas' cache tiers on one real Redis: L2 sharing, cross-replica invalidation,
the race between a read and a write, and Redis failing underneath."""

from __future__ import annotations

import asyncio
import time

from cache import CacheKey, Tag
from cache.shared.redis_link import RedisLink
from tests.shared_tier.conftest import Replica, redis_settings
from tests.support.redis_server import RedisServer
from vendors.tallymarks.models import Balance

KEY = CacheKey.of("acme", "scope1", "tallymarks", "getBalance", customerId="c1")
TAG = Tag("acme", "tallymarks", "balance", "c1")
OTHER_TAG = Tag("acme", "tallymarks", "balance", "c2")


class Vendor:
    def __init__(self) -> None:
        self.calls = 0
        self.points = 100

    async def load(self) -> Balance:
        self.calls += 1
        return Balance.model_validate({"customerId": "c1", "amount": self.points})


async def write(replica: Replica, tag: Tag) -> None:
    """A write on ``replica``: its invalidation, once Redis has it."""
    published: list[asyncio.Task[None]] = []
    replica.cache.invalidate([tag], published.append)
    await asyncio.gather(*published)


async def read(replica: Replica, vendor: Vendor) -> Balance:
    await replica.cache.catch_up(time.monotonic())
    return await replica.cache.get_or_load(KEY, "customer", vendor.load, [TAG])


async def test_a_read_on_one_replica_serves_the_other_from_l2(
    replicas: tuple[Replica, Replica],
) -> None:
    a, b = replicas
    vendor = Vendor()
    first = await read(a, vendor)
    second = await read(b, vendor)
    await read(b, vendor)

    assert vendor.calls == 1
    assert second == first
    assert isinstance(second, Balance)
    assert (a.cache.stats.misses, b.cache.stats.l2_hits, b.cache.stats.l1_hits) == (1, 1, 1)


async def test_a_write_on_one_replica_reaches_the_others_l1(
    replicas: tuple[Replica, Replica],
) -> None:
    a, b = replicas
    vendor = Vendor()
    await read(a, vendor)
    await read(b, vendor)  # now in B's L1 too
    vendor.points = 250

    await write(a, TAG)
    fresh = await read(b, vendor)

    assert fresh.amount == 250
    assert vendor.calls == 2
    assert b.peers.stats.applied == 1


async def test_an_unrelated_write_leaves_the_entry_alone(
    replicas: tuple[Replica, Replica],
) -> None:
    a, b = replicas
    vendor = Vendor()
    await read(b, vendor)
    await write(a, OTHER_TAG)
    await read(b, vendor)

    assert vendor.calls == 1
    assert b.cache.stats.l1_hits == 1


async def test_a_read_that_raced_a_write_is_stored_nowhere(
    replicas: tuple[Replica, Replica],
) -> None:
    a, b = replicas
    started, release = asyncio.Event(), asyncio.Event()
    vendor = Vendor()

    async def slow_old_read() -> Balance:
        started.set()
        await release.wait()
        return await vendor.load()  # the value from before the write

    await b.cache.catch_up(time.monotonic())
    reading = asyncio.create_task(b.cache.get_or_load(KEY, "customer", slow_old_read, [TAG]))
    await started.wait()
    await write(a, TAG)  # the write lands on the other replica
    release.set()
    await reading

    assert b.cache.l2 is not None
    assert await b.cache.l2.get(KEY) is None  # refused by the store script
    assert len(b.cache.store) == 0
    assert b.cache.l2.stats.refused == 1


async def test_redis_down_reads_go_on_and_writes_are_replayed(
    redis: RedisServer, replicas: tuple[Replica, Replica]
) -> None:
    a, b = replicas
    vendor = Vendor()
    await read(a, vendor)
    await read(b, vendor)
    redis.kill()

    a.cache.invalidate([TAG], lambda task: None)  # queued: Redis is gone
    await asyncio.sleep(0.05)
    during = await read(a, vendor)  # L1 of A lost it; the vendor answers
    assert during.amount == 100
    assert not a.link.up

    redis.start()
    deadline = time.monotonic() + 10
    while not (a.link.up and a.peers.stats.replayed):
        assert time.monotonic() < deadline, "the link did not recover"
        await asyncio.sleep(0.05)
    # B may have missed the invalidation: once it notices the outage it drops its L1
    vendor.points = 300
    fresh = await read(b, vendor)
    for _ in range(100):
        if b.link.up:
            break
        await asyncio.sleep(0.05)
        fresh = await read(b, vendor)
    assert fresh.amount == 300


async def test_a_log_that_restarted_makes_a_replica_drop_its_l1(
    redis: RedisServer, replicas: tuple[Replica, Replica]
) -> None:
    a, b = replicas
    vendor = Vendor()
    await read(b, vendor)
    for _ in range(3):
        await write(a, OTHER_TAG)
    await read(b, vendor)
    with redis.client() as client:
        client.flushall()  # the log's counter goes back to 0
    await read(b, vendor)

    assert b.peers.stats.full_drops == 1
    assert vendor.calls == 2


async def test_stale_if_error_reaches_l2(replicas: tuple[Replica, Replica]) -> None:
    from vendors.errors import VendorUnavailableError

    a, b = replicas
    a.cache.ttls["customer"] = 0.05
    b.cache.ttls["customer"] = 0.05
    await read(a, Vendor())
    await asyncio.sleep(0.1)

    async def down() -> Balance:
        raise VendorUnavailableError("tallymarks", "down")

    stale = await b.cache.get_or_load(KEY, "customer", down, [TAG])
    assert stale.amount == 100
    assert b.cache.stats.stale_served == 1


async def test_concurrent_catch_ups_are_grouped_and_all_see_the_write(
    replicas: tuple[Replica, Replica],
) -> None:
    a, b = replicas
    vendor = Vendor()
    await read(b, vendor)
    await write(a, TAG)
    before = b.peers.stats.catch_ups

    await asyncio.gather(*(b.cache.catch_up(time.monotonic()) for _ in range(50)))

    assert b.peers.stats.catch_ups - before <= 2  # one in flight, one for the rest
    assert b.peers.stats.applied == 1
    assert await read(b, vendor) is not None
    assert vendor.calls == 2  # the invalidated entry was dropped from B's L1


async def test_without_read_after_write_a_recent_catch_up_is_enough(
    redis: RedisServer,
) -> None:
    from tests.shared_tier.conftest import redis_settings

    replica = Replica(redis_settings(redis, read_after_write=False, sync_interval=30.0))
    try:
        await replica.cache.catch_up(time.monotonic())
        for _ in range(5):
            await replica.cache.catch_up(time.monotonic())
        assert replica.peers.stats.catch_ups == 1
    finally:
        await replica.link.aclose()


async def test_a_restart_between_commands_leaves_the_link_up(redis: RedisServer) -> None:
    """Every pooled connection is dead after Redis restarts; the first command on each must
    not mark the link down (it flapped once per stale connection) nor fail /readyz's ping."""
    link = RedisLink(redis_settings(redis))
    try:

        async def get() -> bytes | None:
            return await link.run("get", lambda r: r.get("k"), b"fallback")

        # several connections in the pool, each held by a concurrent command
        await asyncio.gather(
            *(link.run("sleep", lambda r: r.blpop(["q"], 0.05), None) for _ in range(4))
        )
        redis.kill()
        redis.start()  # the link saw nothing: no command ran while Redis was gone

        assert await link.ping() is True
        assert await asyncio.gather(*(get() for _ in range(6))) == [None] * 6
        assert link.up
        assert link.transitions == 0
        assert link.outcomes["get", "error"] == 0
    finally:
        await link.aclose()

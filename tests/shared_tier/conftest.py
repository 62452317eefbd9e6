from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from pydantic import SecretStr

from cache import ReadThroughCache, TTLStore
from cache.shared.config import RedisSettings
from cache.shared.invalidation_log import InvalidationLog
from cache.shared.l2_cache import L2Cache
from cache.shared.redis_link import RedisLink
from tests.support.redis_server import RedisServer, redis_server


@pytest.fixture(scope="module")
def redis(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    with redis_server(Path(tmp_path_factory.mktemp("redis"))) as server:
        yield server


@pytest.fixture(autouse=True)
def _empty_redis(redis: RedisServer) -> None:
    with redis.client() as client:
        client.flushall()


def redis_settings(server: RedisServer, **overrides: object) -> RedisSettings:
    # generous: in-process tests keep the event loop busy for long stretches
    fields: dict[str, object] = {
        "url": SecretStr(server.url),
        "retry_interval": 0.2,
        "timeout": 3.0,
    }
    fields.update(overrides)
    return RedisSettings.model_validate(fields)


class Replica:
    """One gateway process's cache tiers (L1 + its link to the shared L2)."""

    def __init__(self, settings: RedisSettings) -> None:
        self.link = RedisLink(settings)
        self.cache = ReadThroughCache(
            store=TTLStore(), ttls={"customer": 30.0}, stale_if_error=60.0
        )
        self.peers = InvalidationLog(
            self.link, apply=self.cache.drop_tags, drop_all=self.cache.drop_all
        )
        self.cache.attach_shared_tier(L2Cache(self.link, self.peers, 120.0), self.peers)


@pytest.fixture
async def replicas(redis: RedisServer) -> AsyncIterator[tuple[Replica, Replica]]:
    a, b = Replica(redis_settings(redis)), Replica(redis_settings(redis))
    yield a, b
    await a.link.aclose()
    await b.link.aclose()

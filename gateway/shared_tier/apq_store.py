"""Automatic persisted queries shared by every replica: a client registers a document once,
on any replica. An in-process LRU answers first; Redis when the LRU doesn't know the hash;
while Redis is unreachable the LRU alone serves (clients re-send the text on a miss, which
APQ clients do anyway)."""

from __future__ import annotations

from cache.shared.redis_link import RedisLink
from gateway.persisted.memory_store import DEFAULT_MAX_BYTES, InMemoryPersistedQueryStore

__all__ = ["SharedPersistedQueryStore"]


class SharedPersistedQueryStore:
    def __init__(
        self, link: RedisLink, max_local_entries: int, max_local_bytes: int = DEFAULT_MAX_BYTES
    ) -> None:
        self.link = link
        self.local = InMemoryPersistedQueryStore(max_local_entries, max_local_bytes)

    def _key(self, sha256_hash: str) -> str:
        return self.link.key("apq", sha256_hash)

    async def get(self, sha256_hash: str) -> str | None:
        found = await self.local.get(sha256_hash)
        if found is not None:
            return found
        raw = await self.link.run("apq_get", lambda r: r.get(self._key(sha256_hash)), None)
        if raw is None:
            return None
        query = raw.decode() if isinstance(raw, bytes) else str(raw)
        await self.local.set(sha256_hash, query)
        return query

    async def set(self, sha256_hash: str, query: str) -> None:
        await self.local.set(sha256_hash, query)
        ttl = self.link.settings.apq_ttl
        await self.link.run(
            "apq_set", lambda r: r.set(self._key(sha256_hash), query.encode(), ex=ttl), None
        )

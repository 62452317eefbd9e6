"""Idempotency records shared by every replica: a client that retries a cross-vendor write
with the same key may land on any replica and still re-runs only what did not complete.

Redis holds the records (``SET EX``) and the claims (``SET NX EX``). While Redis is
unreachable this process's own store answers (degraded: a retry landing on another replica
during the outage may repeat a vendor write that vendor then reports as already done).
"""

from __future__ import annotations

import json
import uuid

from cache.shared.redis_link import RedisLink
from gateway.idempotency import (
    DEFAULT_CLAIM_SECONDS,
    DEFAULT_MAX_BYTES,
    DEFAULT_RECORD_SECONDS,
    IdempotencyRecord,
    InMemoryIdempotencyStore,
)

__all__ = ["SharedIdempotencyStore"]

_UNREACHABLE = object()

# KEYS: claim  ARGV: token — release only a claim this process holds
_RELEASE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""


class SharedIdempotencyStore:
    def __init__(
        self,
        link: RedisLink,
        *,
        record_seconds: float = DEFAULT_RECORD_SECONDS,
        claim_seconds: float = DEFAULT_CLAIM_SECONDS,
        max_local_bytes: int = DEFAULT_MAX_BYTES,
    ) -> None:
        self.link = link
        self.local = InMemoryIdempotencyStore(
            record_seconds=record_seconds, claim_seconds=claim_seconds, max_bytes=max_local_bytes
        )
        self.record_seconds = int(record_seconds)
        self.claim_seconds = int(claim_seconds)
        self._token = uuid.uuid4().hex

    def _key(self, kind: str, tenant: str, key: str) -> str:
        return self.link.key("idem", kind, tenant, key)

    async def get(self, tenant: str, key: str) -> IdempotencyRecord | None:
        raw = await self.link.run(
            "idempotency_get", lambda r: r.get(self._key("rec", tenant, key)), _UNREACHABLE
        )
        if raw is _UNREACHABLE:
            return await self.local.get(tenant, key)
        if raw is None:
            return None
        doc = json.loads(raw)  # type: ignore[arg-type]  # bytes from GET
        return IdempotencyRecord(doc["operation"], doc["fingerprint"], dict(doc["completed"]))

    async def put(self, tenant: str, key: str, record: IdempotencyRecord) -> None:
        await self.local.put(tenant, key, record)
        doc = {
            "operation": record.operation,
            "fingerprint": record.fingerprint,
            "completed": dict(record.completed),
        }
        raw = json.dumps(doc, separators=(",", ":"))
        await self.link.run(
            "idempotency_put",
            lambda r: r.set(self._key("rec", tenant, key), raw, ex=self.record_seconds),
            None,
        )

    async def claim(self, tenant: str, key: str) -> bool:
        name = self._key("claim", tenant, key)
        won = await self.link.run(
            "idempotency_claim",
            lambda r: r.set(name, self._token, nx=True, ex=self.claim_seconds),
            _UNREACHABLE,
        )
        if won is _UNREACHABLE:
            return await self.local.claim(tenant, key)
        return bool(won)

    async def release(self, tenant: str, key: str) -> None:
        await self.local.release(tenant, key)
        name = self._key("claim", tenant, key)
        await self.link.run(
            "idempotency_release", lambda r: r.eval(_RELEASE, 1, name, self._token), None
        )

"""The L2 tier of the read cache: entries in Redis under the same tenant-scoped keys and
TTLs as L1, readable by every replica.

An entry is stored with its tags (so a replica that copies it into L1 can invalidate it
there too) and kept in Redis past its TTL for as long as L1 keeps entries for
stale-if-error. A read that started before a write to the same tags is never stored: the
store script checks the invalidation log past the position the reader had seen.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass

from cache.keys import CacheKey, Tag
from cache.shared import codec
from cache.shared.batching import PipelineBatcher
from cache.shared.invalidation_log import InvalidationLog, tag_name
from cache.shared.redis_link import RedisLink
from cache.store import CacheEntry

__all__ = ["L2Cache"]

log = logging.getLogger(__name__)

# KEYS: entry, seq, stream, tag sets…  ARGV: payload, px, seen position, tag names…
_STORE = """
local seen = tonumber(ARGV[3])
local current = tonumber(redis.call('GET', KEYS[2]) or '0')
if current < seen then return 0 end
if current > seen then
  local mine = {}
  for i = 4, #ARGV do mine[ARGV[i]] = true end
  local entries = redis.call('XRANGE', KEYS[3], '(' .. seen .. '-0', '+')
  local expected = seen + 1
  for _, entry in ipairs(entries) do
    local seq = tonumber(string.match(entry[1], '^(%d+)'))
    if seq ~= expected then return 0 end
    expected = seq + 1
    local fields = entry[2]
    for j = 1, #fields, 2 do
      if fields[j] == 't' then
        for name in string.gmatch(fields[j + 1], '[^\\n]+') do
          if mine[name] then return 0 end
        end
      end
    end
  end
  if expected <= current then return 0 end
end
local px = tonumber(ARGV[2])
redis.call('SET', KEYS[1], ARGV[1], 'PX', px)
for i = 4, #KEYS do
  redis.call('SADD', KEYS[i], KEYS[1])
  if redis.call('PTTL', KEYS[i]) < px then redis.call('PEXPIRE', KEYS[i], px) end
end
return 1
"""


@dataclass
class L2Stats:
    hits: int = 0
    misses: int = 0
    stores: int = 0
    refused: int = 0
    undecodable: int = 0


class L2Cache:
    def __init__(self, link: RedisLink, log_: InvalidationLog, keep_stale_for: float) -> None:
        self.link = link
        self.log = log_
        self.keep_stale_for = keep_stale_for
        self.stats = L2Stats()
        self._gets = PipelineBatcher(link, "l2_get")
        self._sets = PipelineBatcher(link, "l2_set")
        self._store_sha: str | None = None

    def key(self, key: CacheKey) -> str:
        rest = json.dumps([key.scope, key.operation, key.args], separators=(",", ":"))
        digest = hashlib.sha256(rest.encode()).hexdigest()[:32]
        return self.link.key("c", key.tenant, key.vendor, digest)

    async def get(self, key: CacheKey, *, stale_for: float = 0.0) -> CacheEntry | None:
        """A fresh entry (or, with ``stale_for``, one expired at most that long ago)."""
        name = self.key(key)
        raw = await self._gets.submit(lambda pipe: pipe.get(name))
        if raw is None:
            if not stale_for:
                self.stats.misses += 1
            return None
        if not isinstance(raw, bytes | str):
            return None
        try:
            doc = json.loads(raw)
            value = codec.decode(doc["v"])
            stored_at, expires_at = float(doc["s"]), float(doc["e"])
            tags = tuple(Tag(*t) for t in doc["t"])
        except (ValueError, KeyError, TypeError):
            self.stats.undecodable += 1
            log.warning("ignoring an undecodable L2 entry for %s", key.operation)
            return None
        wall, mono = time.time(), time.monotonic()
        if wall >= expires_at + stale_for:
            if not stale_for:
                self.stats.misses += 1
            return None
        if not stale_for:
            self.stats.hits += 1
        return CacheEntry(value, mono - (wall - stored_at), mono + (expires_at - wall), tags)

    async def set(
        self, key: CacheKey, value: object, ttl: float, tags: Iterable[Tag], seen: int | None
    ) -> bool | None:
        """``True`` stored, ``False`` refused (a write to its tags happened since ``seen``),
        ``None`` Redis unreachable or the value can't be shared."""
        if ttl <= 0 or seen is None:
            return None
        tags = tuple(dict.fromkeys(tags))
        try:
            encoded = codec.encode(value)
        except codec.CodecError:
            log.warning("not sharing a %s read through L2", key.operation, exc_info=True)
            return None
        now = time.time()
        payload = json.dumps(
            {
                "v": encoded,
                "s": now,
                "e": now + ttl,
                "t": [[t.tenant, t.vendor, t.resource, t.ident] for t in tags],
            },
            separators=(",", ":"),
        )
        names = [tag_name(t) for t in tags]
        keys = [
            self.key(key),
            self.log.seq_key,
            self.log.stream_key,
            *(self.log.tag_key(n) for n in names),
        ]
        px = int((ttl + self.keep_stale_for) * 1000)
        args = [payload, str(px), str(seen), *names]
        result = await self._sets.submit(lambda pipe: pipe.eval(_STORE, len(keys), *keys, *args))
        if result is None:
            return None
        if result == 1:
            self.stats.stores += 1
            return True
        self.stats.refused += 1
        return False

"""Cross-replica invalidation: a write on any replica reaches every replica's L1.

A write's tags go to Redis in one script that deletes the L2 entries under them and appends
the tags to a numbered log (a stream whose ids are a counter). Before its first cache read
a request catches up: it reads the log past the last number this replica applied and drops
those tags from L1. A catch-up joins another one in flight only if that one started after
the request did, so a write acknowledged before a read was sent is always seen by it.

A replica that finds a gap in the log (trimmed past its position, Redis restarted) or that
lost Redis for a while drops its whole L1: it may have missed something. Invalidations made
while Redis was unreachable are kept and replayed when it returns.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from redis.asyncio import Redis

from cache.keys import Tag
from cache.shared.redis_link import RedisLink

__all__ = ["InvalidationLog", "tag_name"]

log = logging.getLogger(__name__)

SEP = "\x1f"

# KEYS: seq, stream, tag sets…  ARGV: maxlen, origin, tag names (newline-joined), prefix
_PUBLISH = """
local removed = 0
for i = 3, #KEYS do
  local members = redis.call('SMEMBERS', KEYS[i])
  for _, entry in ipairs(members) do removed = removed + redis.call('DEL', entry) end
  redis.call('DEL', KEYS[i])
end
local seq = redis.call('INCR', KEYS[1])
redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[1], seq .. '-0', 'o', ARGV[2], 't', ARGV[3])
return {seq, removed}
"""


def tag_name(tag: Tag) -> str:
    return SEP.join((tag.tenant, tag.vendor, tag.resource, tag.ident))


def _tag(name: str) -> Tag | None:
    parts = name.split(SEP)
    return Tag(*parts) if len(parts) == 4 else None


@dataclass
class SyncStats:
    catch_ups: int = 0
    joined: int = 0
    applied: int = 0
    full_drops: int = 0
    published: int = 0
    replayed: int = 0
    pending_dropped: int = 0


@dataclass
class InvalidationLog:
    link: RedisLink
    #: drop these tags from this replica's L1 (and bump its generation)
    apply: Callable[[Iterable[Tag]], object]
    #: drop this replica's whole L1
    drop_all: Callable[[], object]
    origin: str = field(default_factory=lambda: uuid.uuid4().hex)
    stats: SyncStats = field(default_factory=SyncStats)
    #: the last log number applied here (None: not read yet)
    position: int | None = None
    _pending: deque[str] = field(default_factory=deque)
    _flight: tuple[float, asyncio.Future[None]] | None = None
    #: the catch-up requested while one was in flight (starts when that one ends)
    _next: asyncio.Future[None] | None = None
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.link.on_recovered(self._recover)

    @property
    def seq_key(self) -> str:
        return self.link.key("inv", "seq")

    @property
    def stream_key(self) -> str:
        return self.link.key("inv", "log")

    def tag_key(self, name: str) -> str:
        return self.link.key("tag", name)

    # --- writes ------------------------------------------------------------------------

    async def publish(self, tags: Iterable[Tag]) -> None:
        """Delete the L2 entries under ``tags`` and tell every replica; queued for replay
        when Redis can't be reached (never raises)."""
        names = sorted({tag_name(t) for t in tags})
        if not names:
            return
        if not await self._publish(names):
            self._queue(names)

    async def _publish(self, names: list[str]) -> bool:
        keys = [self.seq_key, self.stream_key, *(self.tag_key(n) for n in names)]
        args = [str(self.link.settings.invalidation_log_length), self.origin, "\n".join(names)]
        result = await self.link.run(
            "invalidate", lambda r: r.eval(_PUBLISH, len(keys), *keys, *args), None
        )
        if result is None:
            return False
        self.stats.published += 1
        return True

    def _queue(self, names: list[str]) -> None:
        limit = self.link.settings.pending_invalidations_max
        for name in names:
            if len(self._pending) >= limit:
                self._pending.popleft()
                self.stats.pending_dropped += 1
            self._pending.append(name)

    async def _recover(self) -> None:
        """Redis is back: we may have missed other replicas' writes, and they ours."""
        self.drop_all()
        self.stats.full_drops += 1
        self.position = None
        while self._pending:
            batch = [self._pending.popleft() for _ in range(min(500, len(self._pending)))]
            if not await self._publish(batch):
                self._pending.extendleft(reversed(batch))
                return
            self.stats.replayed += len(batch)

    # --- reads -------------------------------------------------------------------------

    async def catch_up(self, arrived: float) -> None:
        """Apply every invalidation published before ``arrived`` (see the module's doc).

        Catch-ups are grouped: while one is in flight, requests that arrived after it began
        all wait for the single next one, so a busy replica makes about one round trip per
        Redis round-trip time, not one per request. With ``read_after_write`` off, one that
        began at most ``sync_interval`` before the request arrived is good enough."""
        settings = self.link.settings
        not_before = arrived if settings.read_after_write else arrived - settings.sync_interval
        current = self._flight
        if current is not None and current[0] >= not_before:
            self.stats.joined += 1
            await asyncio.shield(current[1])
            return
        if current is not None and not current[1].done():
            if self._next is None:
                self._next = asyncio.get_running_loop().create_future()
            self.stats.joined += 1
            await asyncio.shield(self._next)
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._start(future)
        await asyncio.shield(future)

    def _start(self, future: asyncio.Future[None]) -> None:
        """Run one catch-up as its own task (a caller that goes away doesn't stop it), then
        the one requested meanwhile, if any."""
        self._flight = (time.monotonic(), future)

        async def run() -> None:
            try:
                await self._catch_up()
            finally:
                future.set_result(None)
                waiting, self._next = self._next, None
                if waiting is not None:
                    self._start(waiting)

        task = asyncio.get_running_loop().create_task(run())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _catch_up(self) -> None:
        self.stats.catch_ups += 1
        position = self.position

        async def read(r: Redis) -> tuple[object, object]:
            pipe = r.pipeline(transaction=False)
            pipe.get(self.seq_key)
            if position is not None:
                pipe.xrange(self.stream_key, min=f"({position}-0", max="+", count=1000)
            results = await pipe.execute()
            return results[0], results[1] if position is not None else []

        found = await self.link.run("catch_up", read, None)
        if found is None:
            return  # Redis unreachable: L1 serves on its TTLs (degraded, eventual)
        raw_seq, entries = found
        current = int(raw_seq) if raw_seq is not None else 0  # type: ignore[call-overload]
        if position is None or current < position:
            # first look, or Redis lost its data: nothing known to apply, anything missed
            if position is not None:
                self._drop_all("the invalidation log restarted")
            self.position = current
            return
        expected = position + 1
        assert isinstance(entries, list)
        for entry_id, fields in entries:
            seq = int(entry_id.split(b"-")[0])
            if seq != expected:
                self._drop_all("the invalidation log was trimmed past this replica")
                self.position = current
                return
            expected = seq + 1
            if fields.get(b"o", b"").decode() != self.origin:
                names = fields.get(b"t", b"").decode().split("\n")
                self.apply(t for n in names if (t := _tag(n)) is not None)
                self.stats.applied += 1
        self.position = expected - 1
        if self.position < current:  # more than a page behind, or entries lost
            self._drop_all("this replica fell too far behind the invalidation log")
            self.position = current

    def _drop_all(self, why: str) -> None:
        log.warning("dropping this replica's L1 cache: %s", why)
        self.drop_all()
        self.stats.full_drops += 1

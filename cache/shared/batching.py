"""Redis commands issued in the same event-loop turn travel in one pipeline.

A customer-360 page misses L1 for hundreds of reads at once (one per customer and
resource); one round trip for all of them instead of one each keeps L2 off the critical
path and inside a small connection pool.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from redis.asyncio import Redis
from redis.asyncio.client import Pipeline

from cache.shared.redis_link import RedisLink

__all__ = ["PipelineBatcher"]

#: commands per pipeline at most
MAX_BATCH = 512

Queued = tuple[Callable[[Pipeline], object], asyncio.Future[object]]


class PipelineBatcher:
    def __init__(self, link: RedisLink, op: str) -> None:
        self.link = link
        self.op = op
        self._queue: list[Queued] = []
        self._tasks: set[asyncio.Task[None]] = set()
        self.pipelines = 0

    async def submit(self, add: Callable[[Pipeline], object]) -> object:
        """``add`` queues one command on the pipeline; its reply (``None`` when Redis
        failed or the command raised)."""
        if not self.link.up:
            self.link.outcomes[self.op, "skipped"] += 1
            return None
        future: asyncio.Future[object] = asyncio.get_running_loop().create_future()
        self._queue.append((add, future))
        if len(self._queue) == 1:
            asyncio.get_running_loop().call_soon(self._start_flush)
        return await future

    def _start_flush(self) -> None:
        task = asyncio.get_running_loop().create_task(self._flush())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _flush(self) -> None:
        queue, self._queue = self._queue, []
        for start in range(0, len(queue), MAX_BATCH):
            chunk = queue[start : start + MAX_BATCH]

            async def run(r: Redis, chunk: list[Queued] = chunk) -> list[object]:
                pipe = r.pipeline(transaction=False)
                for add, _ in chunk:
                    add(pipe)
                return list(await pipe.execute(raise_on_error=False))

            self.pipelines += 1
            replies = await self.link.run(self.op, run, None)
            for index, (_, future) in enumerate(chunk):
                if future.done():
                    continue
                reply = replies[index] if replies is not None else None
                future.set_result(None if isinstance(reply, Exception) else reply)

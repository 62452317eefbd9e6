"""The gateway's connection to Redis, and its failure policy.

Every command is bounded by a short timeout. A failure marks the link down: commands then
return their fallback at once (no request waits on a dead Redis) while a background probe
pings until Redis answers, then the link is up again and the ``on_recovered`` callbacks run
(drop what may have been missed, replay what could not be published).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable
from typing import TypeVar

import redis.asyncio as aioredis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError

from cache.shared.config import RedisSettings

__all__ = ["RedisLink"]

log = logging.getLogger(__name__)

#: timeouts in a row that mark the link down (a refused connection does at once)
SLOW_BEFORE_DOWN = 3

T = TypeVar("T")
D = TypeVar("D")


class RedisLink:
    def __init__(self, settings: RedisSettings, client: aioredis.Redis | None = None) -> None:
        if not settings.enabled or settings.url is None:
            raise ValueError("RedisLink needs CG_REDIS__URL")
        self.settings = settings
        self.prefix = settings.key_prefix
        # a blocking pool: a burst of commands waits for a connection instead of failing.
        # After Redis restarts, every pooled connection is dead and fails its first command:
        # one immediate retry on a new connection keeps that from marking the link down
        # again (and /readyz from reporting a tier that answers as degraded)
        pool = aioredis.BlockingConnectionPool.from_url(
            settings.url.get_secret_value(),
            socket_timeout=settings.timeout,
            socket_connect_timeout=settings.timeout,
            max_connections=settings.max_connections,
            timeout=settings.timeout,
            decode_responses=False,
            retry=Retry(NoBackoff(), 1),
            retry_on_error=[RedisConnectionError],
        )
        self.client: aioredis.Redis = client or aioredis.Redis(connection_pool=pool)
        self.up = True
        #: commands by (operation, outcome): ok, error, skipped (link down)
        self.outcomes: Counter[tuple[str, str]] = Counter()
        self.seconds: defaultdict[str, float] = defaultdict(float)
        self.transitions = 0
        self._recovered: list[Callable[[], Awaitable[None]]] = []
        self._probe: asyncio.Task[None] | None = None
        self._closed = False
        self._slow = 0

    def on_recovered(self, callback: Callable[[], Awaitable[None]]) -> None:
        self._recovered.append(callback)

    def key(self, *parts: str) -> str:
        return ":".join((self.prefix, *parts))

    async def run(
        self, op: str, command: Callable[[aioredis.Redis], Awaitable[T]], fallback: D
    ) -> T | D:
        """``command``'s result, or ``fallback`` when Redis is down, slow or failing."""
        if not self.up or self._closed:
            self.outcomes[op, "skipped"] += 1
            return fallback
        started = time.perf_counter()
        try:
            async with asyncio.timeout(self.settings.timeout):
                result = await command(self.client)
        except (RedisError, OSError, TimeoutError) as exc:
            self.outcomes[op, "error"] += 1
            self._failed(op, exc)
            return fallback
        finally:
            self.seconds[op] += time.perf_counter() - started
        self.outcomes[op, "ok"] += 1
        self._slow = 0
        return result

    def _failed(self, op: str, exc: BaseException) -> None:
        """A refused connection means Redis is gone; a timeout may be one slow moment (or
        this process's own busy event loop), so only a run of them marks the link down."""
        if isinstance(exc, TimeoutError | RedisTimeoutError):
            self._slow += 1
            if self._slow < SLOW_BEFORE_DOWN:
                return
        self._mark_down(op, exc)

    def _mark_down(self, op: str, exc: BaseException) -> None:
        if not self.up:
            return
        self.up = False
        self.transitions += 1
        log.warning(
            "shared tier unreachable (%s during %s); serving from this process until it returns",
            type(exc).__name__,
            op,
        )
        if self._probe is None or self._probe.done():
            self._probe = asyncio.get_running_loop().create_task(self._probe_until_up())

    async def _probe_until_up(self) -> None:
        while not self._closed:
            await asyncio.sleep(self.settings.retry_interval)
            try:
                async with asyncio.timeout(self.settings.timeout * 4):
                    await self.client.ping()
            except (RedisError, OSError, TimeoutError):
                continue
            self.up = True
            self._slow = 0
            self.transitions += 1
            log.warning("shared tier reachable again")
            for callback in self._recovered:
                try:
                    await callback()
                except Exception:  # a recovery step failing must not stop the others
                    log.exception("shared tier recovery step failed")
            return

    async def ping(self) -> bool:
        """For /readyz: answers within the timeout (doesn't change the link's state)."""
        try:
            async with asyncio.timeout(self.settings.timeout * 4):
                return bool(await self.client.ping())
        except (RedisError, OSError, TimeoutError):
            return False

    async def aclose(self) -> None:
        self._closed = True
        if self._probe is not None:
            self._probe.cancel()
        await self.client.aclose(close_connection_pool=True)

"""A loader's batch is dispatched without aiodataloader's extra task per dispatch, and at
the same loop turn: the same loads end up in the same batches as with the stock loader."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Coroutine, Iterator, Mapping
from contextlib import contextmanager
from types import SimpleNamespace
from typing import Any

from aiodataloader import DataLoader

from resolvers.loaders.base import BatchLoader, LoaderScope


class _Tracing:
    @contextmanager
    def loader_batch(self, name: str, vendor: str, size: int) -> Iterator[None]:
        yield


class Recorded(BatchLoader[int, int]):
    vendor = "test"

    def __init__(self, batches: list[list[int]]) -> None:
        scope = LoaderScope(cache=None, clients=lambda: None, tracing=_Tracing())  # type: ignore[arg-type]
        super().__init__(SimpleNamespace(scope=scope))  # type: ignore[arg-type]
        self.batches = batches

    async def fetch(self, keys: list[int]) -> Mapping[int, int | Exception]:
        self.batches.append(list(keys))
        return {k: k * 10 for k in keys}


async def _batches_of(loader: DataLoader[int, int], schedule: list[int]) -> list[int]:
    """Key ``i`` is loaded after ``schedule[i]`` loop turns."""

    async def load(key: int, turns: int) -> int:
        for _ in range(turns):
            await asyncio.sleep(0)
        return await loader.load(key)

    return await asyncio.gather(*(load(k, t) for k, t in enumerate(schedule)))


SCHEDULE = [0, 0, 1, 2, 3, 4, 6, 9, 0, 5]


async def test_the_same_loads_make_the_same_batches_as_the_stock_loader() -> None:
    stock: list[list[int]] = []

    async def stock_fetch(keys: list[int]) -> list[int]:
        stock.append(list(keys))
        return [k * 10 for k in keys]

    ours: list[list[int]] = []
    assert await _batches_of(DataLoader(stock_fetch), SCHEDULE) == [k * 10 for k in range(10)]
    assert await _batches_of(Recorded(ours), SCHEDULE) == [k * 10 for k in range(10)]

    assert ours == stock
    assert len(ours) > 1  # the schedule spans more than one batch


async def test_a_batch_costs_one_task() -> None:
    loop = asyncio.get_running_loop()
    made: Counter[str] = Counter()

    def factory(
        loop: asyncio.AbstractEventLoop, coro: Coroutine[Any, Any, Any], **kw: Any
    ) -> asyncio.Task[Any]:
        made[coro.__qualname__] += 1
        return asyncio.Task(coro, loop=loop, **kw)

    batches: list[list[int]] = []
    loader = Recorded(batches)
    loop.set_task_factory(factory)
    try:
        assert await asyncio.gather(*(loader.load(k) for k in range(3))) == [0, 10, 20]
    finally:
        loop.set_task_factory(None)

    assert batches == [[0, 1, 2]]
    # gather wraps the three futures in none; the batch is the one task
    assert made == Counter({"dispatch_queue_batch": 1})

"""``fan_out``: one call per key, concurrently, failures per key; the first key's call runs
in the caller's task, so a batch of one key creates no task."""

from __future__ import annotations

import asyncio

import pytest

from resolvers.loaders.base import fan_out


async def test_a_single_key_runs_in_the_callers_task() -> None:
    caller = asyncio.current_task()
    ran_in: list[asyncio.Task[object] | None] = []

    async def call(key: str) -> str:
        ran_in.append(asyncio.current_task())
        return key.upper()

    assert await fan_out(["a"], call) == {"a": "A"}
    assert ran_in == [caller]


async def test_several_keys_run_concurrently_each_failing_alone() -> None:
    caller = asyncio.current_task()
    started: list[str] = []
    gate = asyncio.Event()

    async def call(key: str) -> str:
        started.append(key)
        if len(started) == 3:
            gate.set()
        await gate.wait()  # every call must be under way for any to finish
        if key == "b":
            raise ValueError("no b")
        assert (asyncio.current_task() is caller) == (key == "a")
        return key.upper()

    found = await fan_out(["a", "b", "c"], call)

    assert found["a"] == "A"
    assert found["c"] == "C"
    assert isinstance(found["b"], ValueError)
    assert sorted(started) == ["a", "b", "c"]


async def test_no_keys_make_no_call() -> None:
    async def call(key: str) -> str:
        raise AssertionError("called")

    assert await fan_out([], call) == {}


async def test_a_cancelled_fan_out_cancels_its_other_calls() -> None:
    cancelled: list[str] = []
    under_way = asyncio.Event()

    async def call(key: str) -> str:
        try:
            if key == "b":
                under_way.set()
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            cancelled.append(key)
            raise
        return key

    task = asyncio.ensure_future(fan_out(["a", "b"], call))
    await under_way.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    await asyncio.sleep(0)  # the other call's task runs its cancellation

    assert sorted(cancelled) == ["a", "b"]

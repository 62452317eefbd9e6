"""Holding one endpoint in a sandbox: the clock-free way to prove "B was requested while A
was still in flight" (a latency fault only makes that likely, and only on an idle machine)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import httpx

from sandbox.common import FaultConfig
from tests.common.test_common_faults import client_for, tiny_vendor

THING = "GET /things/{thing_id}"


async def arrived(count: Callable[[], int]) -> None:
    """Yield to the loop until a request was counted: the in-process sandbox runs on this
    loop, so no clock is involved (pytest's timeout catches a request that never comes)."""
    while count() < 1:  # noqa: ASYNC110 (the counters have no event to await)
        await asyncio.sleep(0)


async def test_a_held_request_is_counted_on_arrival_and_answered_once_released() -> None:
    app, runtime, _ = tiny_vendor()
    gate = runtime.faults.hold(THING)
    async with client_for(app) as client:
        pending = asyncio.create_task(client.get("/things/1"))
        await arrived(lambda: runtime.counters.count(THING))

        written = await client.post("/things/2")  # other endpoints answer meanwhile
        assert written.status_code == 200
        assert not pending.done()
        assert runtime.counters.snapshot().statuses == {"200": 1}

        gate.set()
        answer = await pending

    assert answer.json() == {"id": "1"}
    snapshot = runtime.counters.snapshot()
    assert snapshot.endpoints == {THING: 1, "POST /things/{thing_id}": 1}
    assert snapshot.statuses == {"200": 2}


async def test_a_released_hold_lets_later_requests_through() -> None:
    app, runtime, _ = tiny_vendor()
    runtime.faults.hold(THING).set()
    async with client_for(app) as client:
        answer = await client.get("/things/1")

    assert answer.status_code == 200
    assert not runtime.faults.holding
    assert runtime.counters.count(THING) == 1


async def test_faults_apply_to_a_held_request_after_release_and_it_counts_once() -> None:
    app, runtime, writes = tiny_vendor()
    runtime.faults.set(FaultConfig(fail_next=1))
    gate = runtime.faults.hold("POST /things/{thing_id}")
    async with client_for(app) as client:
        pending = asyncio.create_task(client.post("/things/1"))
        await arrived(runtime.counters.count)
        gate.set()
        answer: httpx.Response = await pending

    assert answer.status_code == 503
    assert writes == []  # a faulted request still has no side effect
    assert runtime.counters.snapshot().endpoints == {"POST /things/{thing_id}": 1}

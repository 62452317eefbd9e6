"""Talon.One's 409 on overlapping session/profile calls: the gateway queues its own writes
per key, and retries once a 409 caused by someone else."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AbstractAsyncContextManager

import pytest

from gateway.settings import GatewaySettings
from tests.schema.gateway_harness import Harness, harness
from tests.schema.test_schema_mutation_cart import UPDATE, cart
from tests.schema.test_schema_mutation_customer import set_talon_options
from vendors.resilience import WriteQueue

SESSION_PUT = "PUT /v2/customer_sessions/{customerSessionId}"
EVENT_POST = "POST /v2/events"
RETRY_DELAY = 0.2


# --- the queue ---------------------------------------------------------------------------


async def test_writes_with_one_key_run_one_at_a_time_in_arrival_order() -> None:
    queue, log = WriteQueue(), []

    async def write(key: str, name: str) -> None:
        async with queue.turn(key):
            log.append(f"start {name}")
            await asyncio.sleep(0.01)
            log.append(f"end {name}")

    await asyncio.gather(write("s1", "a"), write("s1", "b"), write("s1", "c"))

    assert log == ["start a", "end a", "start b", "end b", "start c", "end c"]
    assert len(queue) == 0  # a key's lock goes once nobody waits for it


async def test_writes_with_different_keys_do_not_wait_for_each_other() -> None:
    queue, running = WriteQueue(), []

    async def write(key: str) -> None:
        async with queue.turn(key):
            running.append(key)
            await asyncio.sleep(0.01)
            assert len(running) == 2  # both are inside at once
            await asyncio.sleep(0)

    await asyncio.gather(write("s1"), write("s2"))


async def test_a_failed_write_frees_its_key() -> None:
    queue = WriteQueue()
    with pytest.raises(RuntimeError):
        async with queue.turn("s1"):
            raise RuntimeError("boom")

    async with queue.turn("s1"):
        assert queue.busy("s1")
    assert not queue.busy("s1")


# --- through the gateway -----------------------------------------------------------------


@pytest.fixture
async def gw() -> AsyncIterator[Harness]:
    async with harness(GatewaySettings(talon_overlap_retry_delay=RETRY_DELAY)) as h:
        yield h


async def test_concurrent_mutations_of_one_session_all_succeed(gw: Harness) -> None:
    person = gw.acme.customers[30].customer_id
    await set_talon_options(gw, processing_delay_ms=100)

    bodies = await asyncio.gather(
        *(gw.query(UPDATE, {"id": "cart-queued", "input": cart(person)}) for _ in range(3))
    )

    assert [b.get("errors") for b in bodies] == [None, None, None]
    assert gw.calls("talon", SESSION_PUT) == 3  # queued, not retried


async def test_concurrent_events_for_one_profile_all_succeed(gw: Harness) -> None:
    person = gw.acme.customers[31].customer_id
    await set_talon_options(gw, processing_delay_ms=100)
    track = """
    mutation($id: ID!) { trackPromotionEvent(customerId: $id, type: "review_written") { eventId } }
    """

    bodies = await asyncio.gather(*(gw.query(track, {"id": person}) for _ in range(2)))

    assert [b.get("errors") for b in bodies] == [None, None]
    assert gw.calls("talon", EVENT_POST) == 2


async def test_a_409_from_someone_else_is_retried_once_after_a_delay(gw: Harness) -> None:
    person = gw.acme.customers[32].customer_id
    async with someone_else_holds(gw, "cart-shared"):
        mutation = asyncio.create_task(
            gw.query(UPDATE, {"id": "cart-shared", "input": cart(person)})
        )
        await until_refused(gw, 1)  # the gateway's PUT met the other client's lock
    body = await mutation

    assert "errors" not in body
    assert gw.calls("talon", SESSION_PUT) == 2  # the 409 and the retry
    assert refused(gw) == 1


async def test_a_409_that_persists_after_the_retry_is_a_retryable_conflict(gw: Harness) -> None:
    person = gw.acme.customers[33].customer_id
    async with someone_else_holds(gw, "cart-hogged"):
        body = await gw.query(UPDATE, {"id": "cart-hogged", "input": cart(person)})

    assert body["errors"][0]["extensions"] == {
        "code": "CONFLICT",
        "vendor": "talon",
        "retryable": True,
    }
    assert gw.calls("talon", SESSION_PUT) == 2  # retried once, not more
    assert refused(gw) == 2


def someone_else_holds(gw: Harness, session_id: str) -> AbstractAsyncContextManager[None]:
    """Another client of the same Talon.One Application busy with the session: the sandbox's
    own per-session lock, held for as long as the test says."""
    talon = gw.sandboxes["talon"].state.talon
    return talon.busy.hold([(gw.acme.talon_application_id, "session", session_id)])  # type: ignore[no-any-return]


def refused(gw: Harness) -> int:
    return gw.runtime("talon").counters.snapshot().statuses.get("409", 0)


async def until_refused(gw: Harness, times: int) -> None:
    async with asyncio.timeout(5):
        # the sandbox's counters have no event to wait on: poll them
        while refused(gw) < times:  # noqa: ASYNC110
            await asyncio.sleep(0.005)

"""Every session, profile and event call names the session or profile Talon.One locks, so
the queued client (which only overrides the turn) serialises exactly those calls."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TypeVar

import httpx
import pytest
from pydantic import SecretStr

from tests.clients.talon.fakes import API_KEY, BASE_URL, FakeTalon
from vendors.http import RetryPolicy, build_async_client
from vendors.resilience.talon_writes import QueuedTalonClient
from vendors.resilience.write_queue import WriteQueue
from vendors.talon import TalonClient
from vendors.talon.client import PROFILE, SESSION, talon_http
from vendors.talon.config import TalonConfig
from vendors.talon.models import (
    CouponReservations,
    CustomerProfileIntegrationRequestV2,
    IntegrationEventV2Request,
    IntegrationRequest,
    NewCustomerSessionV2,
    NewReturn,
    ReturnedCartItem,
    ReturnIntegrationRequest,
)

T = TypeVar("T")
Call = Callable[[TalonClient], Awaitable[object]]


class TurnLog(TalonClient):
    """Records the turns asked for, and makes the call."""

    turns: list[tuple[str, str | None]]

    async def _in_turn(self, kind: str, ident: str | None, call: Callable[[], Awaitable[T]]) -> T:
        self.turns.append((kind, ident))
        return await call()


@pytest.fixture
async def client(fake: FakeTalon) -> AsyncIterator[TurnLog]:
    http = talon_http(build_async_client(transport=httpx.MockTransport(fake)), RetryPolicy())
    logged = TurnLog(http, TalonConfig(base_url=BASE_URL, api_key=SecretStr(API_KEY)))
    logged.turns = []
    yield logged
    await http.client.aclose()


RETURN = ReturnIntegrationRequest(
    return_=NewReturn(returned_cart_items=[ReturnedCartItem(position=0)])
)
SCOPED: list[tuple[str, Call, tuple[str, str | None]]] = [
    (
        "profile v2",
        lambda c: c.update_customer_profile_v2("p-1", CustomerProfileIntegrationRequestV2()),
        (PROFILE, "p-1"),
    ),
    ("customer data", lambda c: c.delete_customer_data("p-3"), (PROFILE, "p-3")),
    (
        "session v2",
        lambda c: c.update_customer_session_v2(
            "s-1", IntegrationRequest(customer_session=NewCustomerSessionV2())
        ),
        (SESSION, "s-1"),
    ),
    ("returns", lambda c: c.return_cart_items("s-3", RETURN), (SESSION, "s-3")),
    (
        "event v2",
        lambda c: c.track_event_v2(IntegrationEventV2Request(type="t", profile_id="p-6")),
        (PROFILE, "p-6"),
    ),
]


@pytest.mark.parametrize(
    ("call", "turn"), [(c, t) for _, c, t in SCOPED], ids=[n for n, _, _ in SCOPED]
)
async def test_a_session_or_profile_call_asks_for_its_turn(
    client: TurnLog, fake: FakeTalon, call: Call, turn: tuple[str, str | None]
) -> None:
    await call(client)

    assert client.turns == [turn]
    assert len(fake.requests) == 1


async def test_other_calls_take_no_turn(client: TurnLog, fake: FakeTalon) -> None:
    await client.get_customer_session("s-1")
    await client.get_customer_inventory("p-1")
    await client.create_coupon_reservation("CODE", CouponReservations(integration_ids=["p-1"]))

    assert client.turns == []
    assert len(fake.requests) == 3


async def test_the_queued_client_serialises_one_profile_and_retries_an_overlap_once(
    fake: FakeTalon,
) -> None:
    """A 409 "in progress" inside the turn is resent once after the delay, in the same turn."""
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    http = talon_http(build_async_client(transport=httpx.MockTransport(fake)), RetryPolicy())
    queue = WriteQueue()
    config = TalonConfig(base_url=BASE_URL, api_key=SecretStr(API_KEY))
    queued = QueuedTalonClient(http, config, queue=queue, overlap_retry_delay=0.5, sleep=sleep)
    fake.queue(httpx.Response(409, json={"message": "Too many requests - avoid parallel requests"}))
    try:
        await queued.update_customer_profile_v2("p-1", CustomerProfileIntegrationRequestV2())
    finally:
        await http.client.aclose()

    assert waits == [0.5]
    assert len(fake.requests) == 2
    assert not queue.busy(queued.queue_key(PROFILE, "p-1"))

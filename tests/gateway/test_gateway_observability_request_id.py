"""The request id: accepted or made, answered, and passed on to every vendor call."""

from __future__ import annotations

import re

import pytest

from gateway.observability.request_id import accept_request_id
from tests.gateway.observed import CUSTOMER_CARD, observed


async def test_the_callers_request_id_is_answered_and_sent_to_every_vendor() -> None:
    async with observed() as seen:
        seen.gw.extra_headers["X-Request-Id"] = "mobile-7f3a.42"

        response = await seen.gw.post(CUSTOMER_CARD, {"id": seen.gw.acme.customers[0].customer_id})

    assert response.headers["x-request-id"] == "mobile-7f3a.42"
    assert {r.vendor for r in seen.received} == {"tallymarks", "omnidesk", "talon"}
    assert {r.request_id for r in seen.received} == {"mobile-7f3a.42"}


async def test_without_one_each_request_gets_its_own_id_and_its_calls_carry_it() -> None:
    async with observed() as seen:
        first = await seen.gw.post(CUSTOMER_CARD, {"id": seen.gw.acme.customers[0].customer_id})
        calls_of_first = len(seen.received)
        second = await seen.gw.post(CUSTOMER_CARD, {"id": seen.gw.acme.customers[1].customer_id})

    ids = first.headers["x-request-id"], second.headers["x-request-id"]
    assert all(re.fullmatch(r"[0-9a-f]{32}", i) for i in ids)
    assert ids[0] != ids[1]
    assert {r.request_id for r in seen.received[:calls_of_first]} == {ids[0]}
    assert {r.request_id for r in seen.received[calls_of_first:]} == {ids[1]}


async def test_a_refused_request_still_answers_with_its_id() -> None:
    async with observed() as seen:
        response = await seen.gw.client.post(
            "/graphql", json={"query": "{ __typename }"}, headers={"x-request-id": "abc-1"}
        )

    assert response.status_code == 401
    assert response.headers["x-request-id"] == "abc-1"


@pytest.mark.parametrize(
    "presented",
    ["two words", 'quote"d', "x" * 129, "new\nline", "", "ünïcode"],
)
def test_an_unsafe_request_id_is_replaced(presented: str) -> None:
    assert re.fullmatch(r"[0-9a-f]{32}", accept_request_id(presented))


def test_a_uuid_or_trace_like_id_is_kept() -> None:
    for presented in ("3f2b6c1e-8d7a-4c5b-9e0f-1a2b3c4d5e6f", "Root=1-5759e988-bd862e3fe1be46a9"):
        assert accept_request_id(presented) == presented

"""``customer(id:)`` starts its fields' reads alongside the existence check: one upstream
round trip instead of two, and still exactly one call per distinct resource."""

from __future__ import annotations

import asyncio
import time

import pytest

from gateway.playground.page import example_operations
from tests.schema.gateway_harness import VENDORS, Harness

CUSTOMER_360 = next(text for _, text in example_operations() if "Customer360" in text)

#: the 360's distinct resources: the existence check and 7 reads (events are shared by
#: `events` and `activity`, the balance by `pointsBalance` and `transactions.balance`,
#: the inventory by coupons, referrals, loyalty and the audiences in `segments`)
EXPECTED = {
    "tallymarks": {
        "GET /api/v1/customers/{customerId}": 1,
        "GET /api/v1/customers/{customerId}/balance": 1,
        "GET /api/v1/customers/{customerId}/segments": 1,
        "GET /api/v1/customers/events": 1,
        "GET /api/v1/customers/transactions": 1,
    },
    "omnidesk": {
        "POST /api/v2/customer/SearchByPrimaryExternalID": 1,
        "GET /api/v2/customer/timelineByCustomerExternalID": 1,
    },
    "talon": {"GET /v1/customer_profiles/{integrationId}/inventory": 1},
}


async def test_the_prefetched_reads_are_the_ones_the_fields_use(gw: Harness) -> None:
    body = await gw.query(CUSTOMER_360, {"customerId": gw.acme.customers[0].customer_id})

    assert "errors" not in body
    assert {v: gw.endpoints(v) for v in VENDORS} == EXPECTED


async def test_page_sizes_given_as_variables_match_too(gw: Harness) -> None:
    query = """
    query($id: ID!, $n: Int!) {
      customer(id: $id) {
        events(first: $n) { edges { node { eventType } } }
        transactions(first: $n) { edges { node { amount } } balance { points } }
        timeline(includeTickets: true) { message }
      }
    }"""
    body = await gw.query(query, {"id": gw.acme.customers[1].customer_id, "n": 3})

    assert "errors" not in body
    assert gw.calls("tallymarks") == 4  # existence, events, transactions, balance
    assert gw.calls("omnidesk") == 1  # the timeline with tickets


WITH_VARIABLES = """
query($customerId: ID!, $tickets: Boolean!, $n: Int!) {
  customer(id: $customerId) {
    supportProfile { firstName }
    timeline(includeTickets: $tickets) { message }
    ...Promotions
  }
}
fragment Promotions on Customer { coupons { value } activity(first: $n) { edges { cursor } } }
"""


@pytest.mark.parametrize(
    ("query", "variables"),
    [(CUSTOMER_360, {}), (WITH_VARIABLES, {"tickets": True, "n": 5})],
    ids=["literals", "variables-and-fragments"],
)
async def test_the_reads_start_before_the_existence_check_answers(
    gw: Harness, query: str, variables: dict[str, object]
) -> None:
    gw.fault("tallymarks", latency_ms=1500)  # the loyalty system answers slowly
    customer = gw.acme.customers[2].customer_id
    running = asyncio.create_task(gw.query(query, {"customerId": customer, **variables}))
    deadline = time.monotonic() + 1.2
    while gw.calls("omnidesk") < 2 or gw.calls("talon") < 1:
        assert time.monotonic() < deadline, "the other vendors waited for the check"
        await asyncio.sleep(0.02)
    assert not running.done()
    body = await running

    assert "errors" not in body


async def test_a_customer_that_does_not_exist_is_null_without_errors(gw: Harness) -> None:
    missing = "00000000-0000-4000-8000-000000000000"

    body = await gw.query(CUSTOMER_360, {"customerId": missing})

    assert body == {"data": {"customer": None}}


async def test_fields_with_filters_load_when_they_run(gw: Harness) -> None:
    query = """
    query($id: ID!) {
      customer(id: $id) {
        transactions(first: 5, filter: {keyword: "order"}) { edges { node { amount } } }
        segments(sources: [LOYALTY]) { id }
      }
    }"""
    body = await gw.query(query, {"id": gw.acme.customers[3].customer_id})

    assert "errors" not in body
    assert gw.endpoints("tallymarks") == {
        "GET /api/v1/customers/{customerId}": 1,
        "GET /api/v1/customers/transactions": 1,
        "GET /api/v1/customers/{customerId}/segments": 1,
    }
    assert gw.calls("talon") == 0

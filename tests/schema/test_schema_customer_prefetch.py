"""``customer(id:)`` starts its fields' reads alongside the existence check: one upstream
round trip instead of two, and still exactly one call per distinct resource."""

from __future__ import annotations

import asyncio

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


#: the loyalty system's existence check, which ``customer(id:)`` awaits before answering
CHECK = "GET /api/v1/customers/{customerId}"

#: what WITH_VARIABLES reads besides the check: the support profile, the timeline with
#: tickets, the inventory (coupons) and the events (activity)
WITH_VARIABLES_READS = {
    "tallymarks": {"GET /api/v1/customers/events": 1},
    "omnidesk": {
        "POST /api/v2/customer/SearchByPrimaryExternalID": 1,
        "GET /api/v2/customer/timelineByCustomerExternalID": 1,
    },
    "talon": {"GET /v1/customer_profiles/{integrationId}/inventory": 1},
}


def _without_check(expected: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    return {v: {e: n for e, n in calls.items() if e != CHECK} for v, calls in expected.items()}


async def _until_requested(gw: Harness, reads: dict[str, dict[str, int]]) -> None:
    """Yield to the loop until the check and every one of ``reads`` reached the sandboxes.

    The sandboxes run in process on this loop, so this needs no clock: with the check held,
    a gateway that waits for it before starting the reads never gets here, and pytest's
    timeout fails the test (the stack then points at this wait)."""

    def requested() -> bool:
        return gw.calls("tallymarks", CHECK) == 1 and all(
            gw.calls(vendor, endpoint) >= n
            for vendor, calls in reads.items()
            for endpoint, n in calls.items()
        )

    while not requested():  # noqa: ASYNC110 (the counters have no event to await)
        await asyncio.sleep(0.005)  # a poll interval, not a bound


@pytest.mark.parametrize(
    ("query", "variables", "reads"),
    [
        (CUSTOMER_360, {}, _without_check(EXPECTED)),
        (WITH_VARIABLES, {"tickets": True, "n": 5}, WITH_VARIABLES_READS),
    ],
    ids=["literals", "variables-and-fragments"],
)
async def test_the_reads_start_before_the_existence_check_answers(
    gw: Harness, query: str, variables: dict[str, object], reads: dict[str, dict[str, int]]
) -> None:
    """The check is held in the loyalty sandbox until the test releases it, so "the reads
    were requested while the check was in flight" is an observation, not a race."""
    check = gw.runtime("tallymarks").faults.hold(CHECK)
    customer = gw.acme.customers[2].customer_id
    running = asyncio.create_task(gw.query(query, {"customerId": customer, **variables}))
    try:
        await _until_requested(gw, reads)
        assert not running.done()  # the check is still unanswered
    finally:
        check.set()
    body = await running

    assert "errors" not in body
    assert gw.calls("tallymarks", CHECK) == 1


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

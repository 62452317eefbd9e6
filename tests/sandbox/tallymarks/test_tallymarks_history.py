"""Event and transaction search: filters, keyword, inclusive time bounds.

See docs/vendors/tallymarks.md §7.6, §7.7.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import httpx
import pytest

from tests.sandbox.tallymarks.tm_support import ACME, client_for, invalid, new_app

EVENTS = "/api/v1/customers/events"
TRANSACTIONS = "/api/v1/customers/transactions"


async def all_events(client: httpx.AsyncClient, **params: Any) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    offset_key = None
    while True:
        extra = {"offsetKey": offset_key} if offset_key else {}
        body = (await client.get(EVENTS, params={**params, "limit": 100, **extra})).json()
        events += body["events"]
        offset_key = body["offsetKey"]
        if not offset_key:
            return events


def busiest_customer(events: list[dict[str, Any]]) -> str:
    return Counter(e["customerId"] for e in events).most_common(1)[0][0]


async def test_the_literal_events_route_wins_over_the_customer_id_route() -> None:
    async with client_for(new_app()) as client:
        response = await client.get(EVENTS, params={"limit": 1})
    assert response.status_code == 200
    assert set(response.json()) == {"events", "offsetKey"}


async def test_demo_history_covers_every_stored_event_type() -> None:
    async with client_for(new_app()) as client:
        events = await all_events(client)
    types = Counter(e["eventType"] for e in events)
    assert set(types) == {
        "action",
        "order",
        "transaction",
        "redemption",
        "points",
        "error",
        "anniversary",
    }
    per_customer = Counter(e["customerId"] for e in events if e["eventType"] != "error")
    assert max(per_customer.values()) <= 25


async def test_events_of_one_customer_newest_first() -> None:
    async with client_for(new_app()) as client:
        customer_id = busiest_customer(await all_events(client))
        body = (await client.get(EVENTS, params={"customerId": customer_id, "limit": 100})).json()
    events = body["events"]
    assert events
    assert {e["customerId"] for e in events} == {customer_id}
    assert [e["createdAt"] for e in events] == sorted(
        (e["createdAt"] for e in events), reverse=True
    )
    assert set(events[0]) == {
        "eventId", "tenantId", "customerId", "createdAt", "eventType", "nameSpace", "reference"
    }  # fmt: skip


async def test_event_type_and_keyword_filters() -> None:
    async with client_for(new_app()) as client:
        everything = await all_events(client)
        orders = await all_events(client, eventType="ORDER")
        reviews = await all_events(client, keyword="review")
        by_reference = await all_events(client, keyword="pos-")
    assert orders
    assert len(orders) == sum(e["eventType"] == "order" for e in everything)
    assert {e["eventType"] for e in orders} == {"order"}
    assert reviews
    assert all("review" in e["nameSpace"].lower() for e in reviews)
    assert by_reference
    assert all(e["reference"].startswith("POS-") for e in by_reference)


async def test_time_bounds_are_inclusive() -> None:
    async with client_for(new_app()) as client:
        everything = await all_events(client)
        pivot = everything[len(everything) // 2]
        exact = await all_events(client, fromAt=pivot["createdAt"], toAt=pivot["createdAt"])
        after = await all_events(client, fromAt=pivot["createdAt"])
        # the same instant written with an offset
        local = pivot["createdAt"].replace("Z", "+00:00")
        before = await all_events(client, toAt=local)
    same_instant = [e for e in everything if e["createdAt"] == pivot["createdAt"]]
    assert {e["eventId"] for e in exact} == {e["eventId"] for e in same_instant}
    assert len(after) == sum(e["createdAt"] >= pivot["createdAt"] for e in everything)
    assert len(before) == sum(e["createdAt"] <= pivot["createdAt"] for e in everything)


async def test_event_id_filter() -> None:
    async with client_for(new_app()) as client:
        target = (await client.get(EVENTS, params={"limit": 1})).json()["events"][0]
        found = await all_events(client, eventId=target["eventId"].upper())
    assert found == [target]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (
            {"eventType": "transfer"},
            invalid(
                "eventType",
                "The eventType must be one of: action, order, transaction, redemption, points, "
                "error, anniversary.",
                "transfer",
            ),
        ),
        ({"customerId": "nope"}, invalid("customerId", "The value is not a valid GUID.", "nope")),
        ({"eventId": "123"}, invalid("eventId", "The value is not a valid GUID.", "123")),
        (
            {"fromAt": "yesterday"},
            invalid(
                "fromAt",
                "Input should be a valid datetime or date, input is too short",
                "yesterday",
            ),
        ),
    ],
)
async def test_bad_filters_are_rejected(params: dict[str, str], expected: dict[str, Any]) -> None:
    async with client_for(new_app()) as client:
        events = await client.get(EVENTS, params=params)
        transactions = await client.get(TRANSACTIONS, params=params)
    assert (events.status_code, events.json()) == (400, expected)
    assert (transactions.status_code, transactions.json()) == (400, expected)


async def test_transactions_of_one_customer_and_their_filters() -> None:
    async with client_for(new_app()) as client:
        customer_id = busiest_customer(await all_events(client, eventType="order"))
        params = {"customerId": customer_id, "limit": 100}
        mine = (await client.get(TRANSACTIONS, params=params)).json()["customerTransactions"]
        orders = (await client.get(TRANSACTIONS, params={**params, "eventType": "order"})).json()
        spent = (
            await client.get(TRANSACTIONS, params={**params, "keyword": "SPENT ONLINE"})
        ).json()
        one = mine[0]
        by_event = (await client.get(TRANSACTIONS, params={"eventId": one["eventId"]})).json()
    assert mine
    assert {t["customerId"] for t in mine} == {customer_id}
    assert set(mine[0]) == {
        "transactionId", "customerId", "tenantId", "eventId", "assessmentRuleId", "createdAt",
        "checkSum", "nameSpace", "description", "amount", "externalReference",
    }  # fmt: skip
    assert {t["nameSpace"] for t in orders["customerTransactions"]} == {"Order.Completed"}
    assert spent["customerTransactions"]
    assert {t["description"] for t in spent["customerTransactions"]} == {
        "1 point per $1 spent online"
    }
    assert one in by_event["customerTransactions"]
    assert {t["eventId"] for t in by_event["customerTransactions"]} == {one["eventId"]}


async def test_every_customer_balance_is_the_sum_of_their_transactions() -> None:
    async with client_for(new_app()) as client:
        for customer in ACME.customers[:8]:
            cid = customer.customer_id
            ledger = (
                await client.get(TRANSACTIONS, params={"customerId": cid, "limit": 100})
            ).json()["customerTransactions"]
            balance = (await client.get(f"/api/v1/customers/{cid}/balance")).json()
            assert balance["amount"] == sum(t["amount"] for t in ledger)
            assert balance["amount"] >= 0
            if ledger:
                assert balance["changedAt"] == max(t["createdAt"] for t in ledger)

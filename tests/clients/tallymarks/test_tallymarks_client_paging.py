"""Paginators follow offsetKey until it is null; each makes exactly the page calls needed."""

from __future__ import annotations

import math

import pytest

from gateway.vendors.tallymarks import CustomerCreate
from tests.clients.tallymarks.tmc_support import ACME, guid, sandbox


async def test_iter_customers_makes_one_call_per_page() -> None:
    async with sandbox() as sb:
        customers = [c async for c in sb.client.iter_customers(page_size=10)]
        calls = await sb.calls("GET /api/v1/customers")
    assert sorted(c.customer_id for c in customers) == sorted(c.customer_id for c in ACME.customers)
    assert calls == 3


async def test_an_exactly_full_page_ends_the_walk() -> None:
    async with sandbox() as sb:
        customers = [c async for c in sb.client.iter_customers(page_size=25)]
        calls = await sb.calls("GET /api/v1/customers")
    assert (len(customers), calls) == (25, 1)


async def test_iter_events_and_transactions_of_a_customer() -> None:
    customer_id = ACME.customers[0].customer_id
    async with sandbox() as sb:
        events = (await sb.client.search_events(customer_id=customer_id)).events
        ledger = (
            await sb.client.search_transactions(customer_id=customer_id)
        ).customer_transactions
        await sb.reset_counters()
        walked_events = [
            e async for e in sb.client.iter_events(customer_id=customer_id, page_size=4)
        ]
        walked_ledger = [
            t async for t in sb.client.iter_transactions(customer_id=customer_id, page_size=4)
        ]
        event_calls = await sb.calls("GET /api/v1/customers/events")
        ledger_calls = await sb.calls("GET /api/v1/customers/transactions")
    assert len(events) > 4
    assert len(ledger) > 4
    assert walked_events == events
    assert walked_ledger == ledger
    assert event_calls == math.ceil(len(events) / 4)
    assert ledger_calls == math.ceil(len(ledger) / 4)


async def test_iter_events_filters_by_type() -> None:
    async with sandbox() as sb:
        orders = [e async for e in sb.client.iter_events(event_type="order", page_size=100)]
    assert orders
    assert {e.event_type for e in orders} == {"order"}


async def test_iter_segments_pages_through_memberships() -> None:
    customer_id = guid()
    async with sandbox() as sb:
        catalogue = (
            await sb.admin.get(
                "/_sandbox/tallymarks/segments", params={"tenantId": ACME.tallymarks_tenant_id}
            )
        ).json()
        open_ids = [s["segmentId"] for s in catalogue if s["status"] in ("Active", "Test")]
        await sb.client.create_customer(CustomerCreate(customer_id=customer_id))
        for segment_id in open_ids:
            await sb.client.add_segment(customer_id, segment_id)
        await sb.reset_counters()
        walked = [m async for m in sb.client.iter_segments(customer_id, page_size=3)]
        calls = await sb.calls("GET /api/v1/customers/{customerId}/segments")
    assert sorted(m.segment_id for m in walked) == sorted(open_ids)
    assert calls == math.ceil(len(open_ids) / 3)


@pytest.mark.parametrize("limit", [0, 101])
async def test_a_limit_outside_1_to_100_is_refused_before_any_call(limit: int) -> None:
    async with sandbox() as sb:
        with pytest.raises(ValueError, match="limit must be between 1 and 100"):
            await sb.client.search_customers(limit=limit)
        calls = await sb.calls()
    assert calls == 0

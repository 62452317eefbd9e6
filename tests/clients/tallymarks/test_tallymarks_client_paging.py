"""Paginators follow offsetKey until it is null; each makes exactly the page calls needed."""

from __future__ import annotations

import math

import pytest

from tests.clients.tallymarks.tmc_support import ACME, guid, sandbox
from vendors.tallymarks import CustomerCreate


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

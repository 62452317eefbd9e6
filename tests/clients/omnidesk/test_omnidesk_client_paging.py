"""The index paginator: ``itemStart += itemLimit`` until ``itemTotal``, with pinned call counts."""

from __future__ import annotations

from vendors.omnidesk import OmnideskClient

INDEX = "GET /api/v2/customer"


async def test_list_customers_pages_by_offset(omnidesk: OmnideskClient) -> None:
    first = await omnidesk.list_customers(item_start=0, item_limit=10)
    second = await omnidesk.list_customers(item_start=10, item_limit=10)

    assert (len(first.items), len(second.items)) == (10, 10)
    assert {c.id for c in first.items}.isdisjoint(c.id for c in second.items)

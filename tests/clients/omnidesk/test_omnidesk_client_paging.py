"""The index paginator: ``itemStart += itemLimit`` until ``itemTotal``, with pinned call counts."""

from __future__ import annotations

import pytest
from fastapi import FastAPI

from gateway.vendors.omnidesk import OmnideskClient
from tests.clients.omnidesk.support import ACCOUNT_SIZE, counters

INDEX = "GET /api/v2/customer"


@pytest.mark.parametrize(("page_size", "calls"), [(7, 5), (10, 3), (30, 1), (99, 1)])
async def test_iter_customers_makes_exactly_the_needed_page_calls(
    omnidesk: OmnideskClient, app: FastAPI, page_size: int, calls: int
) -> None:
    ids = [c.id async for c in omnidesk.iter_customers(page_size=page_size)]

    assert len(ids) == len(set(ids)) == ACCOUNT_SIZE
    assert (await counters(app)) == {INDEX: calls}


async def test_iter_customers_with_a_query(omnidesk: OmnideskClient, app: FastAPI) -> None:
    page = await omnidesk.list_customers(item_limit=1)
    name = page.items[0].firstname

    found = [c async for c in omnidesk.iter_customers(query=name, page_size=2)]

    assert found
    assert all(name.lower() in f"{c.firstname} {c.lastname}".lower() for c in found)


async def test_an_empty_result_is_one_call(omnidesk: OmnideskClient, app: FastAPI) -> None:
    found = [c async for c in omnidesk.iter_customers(query="zzzzzz")]

    assert found == []
    assert (await counters(app)) == {INDEX: 1}


async def test_list_customers_pages_by_offset(omnidesk: OmnideskClient) -> None:
    first = await omnidesk.list_customers(item_start=0, item_limit=10)
    second = await omnidesk.list_customers(item_start=10, item_limit=10)

    assert second.item_start == 10
    assert {c.id for c in first.items}.isdisjoint(c.id for c in second.items)

"""A shared read that returns a page in several calls costs every call: the support desk's
index returns at most 99 customers a call, so ``supportCustomers(first: 100)`` costs two,
as many as it makes."""

from __future__ import annotations

from typing import Any

import pytest

from gateway.limits.cost_table import paged_calls
from sandbox.demo_world import demo_world
from tests.schema.gateway_harness import Harness, harness, patient_settings
from tests.schema.test_schema_limits_cost import cost

INDEX = "GET /api/v2/customer"

#: a support account with more customers than one index call returns
WORLD = demo_world(5, 2, 100)

PAGE = """query($first: Int!, $after: String) {
  supportCustomers(first: $first, after: $after) {
    totalCount edges { cursor node { supportId } } } }"""


@pytest.mark.parametrize(
    ("first", "calls"), [(1, 1), (99, 1), (100, 2), (198, 2), (199, 3), (0, 1)]
)
def test_a_page_takes_the_calls_its_items_need(first: int, calls: int) -> None:
    assert paged_calls(99, first) == calls


def test_support_customers_costs_one_index_call_per_99_items() -> None:
    assert cost("{ supportCustomers(first: 99) { totalCount } }") == 1
    assert cost("{ supportCustomers(first: 100) { totalCount } }") == 2
    assert cost("query($n: Int!) { supportCustomers(first: $n) { totalCount } }", {"n": 100}) == 2
    # the default page (20) fits one call; an explicit null cursor starts at the beginning
    assert cost("{ supportCustomers { totalCount } }") == 1
    assert cost("{ supportCustomers(first: 20, after: null) { totalCount } }") == 1


def test_a_page_after_a_cursor_costs_what_the_same_page_from_the_start_costs() -> None:
    # read from the cursor's own position: a cursor inside a vendor page adds no call
    assert cost('{ supportCustomers(first: 20, after: "c") { totalCount } }') == 1
    assert cost("query($c: String) { supportCustomers(after: $c) { totalCount } }") == 1
    assert cost('{ supportCustomers(first: 100, after: "c") { totalCount } }') == 2


def test_aliases_of_one_page_share_its_calls() -> None:
    query = "{ supportCustomers(first: 100) { a: totalCount b: edges { cursor } } }"

    assert cost(query) == 2


async def _page(gw: Harness, first: int, after: str | None = None) -> dict[str, Any]:
    body = await gw.query(PAGE, {"first": first, "after": after})
    assert "errors" not in body, body
    page: dict[str, Any] = body["data"]["supportCustomers"]
    return page


async def test_the_cost_is_the_index_calls_made() -> None:
    async with harness(patient_settings(max_query_cost=2), world=WORLD) as gw:
        page = await _page(gw, 100)

        assert len(page["edges"]) == 100
        assert gw.endpoints("omnidesk") == {INDEX: 2}


async def test_a_page_from_a_cursor_inside_a_vendor_page_costs_and_makes_one_call() -> None:
    async with harness(patient_settings(max_query_cost=1), world=WORLD) as gw:
        first = await _page(gw, 10)
        gw.reset_calls()

        # priced at one call, it reads from the cursor's position: 99 customers, one call
        page = await _page(gw, 99, after=first["edges"][4]["cursor"])

        assert len(page["edges"]) == 99
        assert page["edges"][0]["node"] == first["edges"][5]["node"]
        assert gw.endpoints("omnidesk") == {INDEX: 1}


async def test_a_page_of_100_is_refused_where_one_call_is_the_limit() -> None:
    async with harness(patient_settings(max_query_cost=1), world=WORLD) as gw:
        refused = await gw.query(PAGE, {"first": 100})

        assert refused["data"] is None
        assert refused["errors"][0]["extensions"] == {
            "code": "QUERY_TOO_COSTLY",
            "cost": 2,
            "maxCost": 1,
        }
        assert gw.calls() == 0
        # 99 customers are one call
        ran = await gw.query("{ supportCustomers(first: 99) { edges { cursor } } }")
        assert len(ran["data"]["supportCustomers"]["edges"]) == 99
        assert gw.endpoints("omnidesk") == {INDEX: 1}

"""supportCustomers after any cursor: a page has ``min(first, items left)`` edges, read from
the cursor's index position in one index call per 99 (never more than the query's cost says),
with `hasNextPage`/`endCursor` that carry on where it stopped. A cursor inside a vendor page
used to re-read that page from its start and count the skipped items against the 100-item
read, so `first: 99` five items in returned 95."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from gateway.settings import DEFAULT_TTLS
from sandbox.demo_world import demo_world
from tests.schema.gateway_harness import Harness, harness, patient_settings

INDEX = "GET /api/v2/customer"

#: a support account of more than two vendor pages (205 customers)
WORLD = demo_world(5, 2, 200)

#: the index read uncached, so every page's own calls are counted; the cost limit is what a
#: cursor page of supportCustomers is priced at (two calls): a page over it would be refused
SETTINGS = patient_settings(max_query_cost=2, cache_ttls={**DEFAULT_TTLS, "search": 0})

PAGE = """
query($first: Int!, $after: String) {
  supportCustomers(first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage endCursor }
    edges { cursor node { supportId } }
  }
}
"""

FIRSTS = (1, 50, 99, 100)


async def _page(gw: Harness, first: int, after: str | None = None) -> dict[str, Any]:
    body = await gw.query(PAGE, {"first": first, "after": after})
    assert "errors" not in body, body
    page: dict[str, Any] = body["data"]["supportCustomers"]
    return page


def _ids(page: dict[str, Any]) -> list[int]:
    return [edge["node"]["supportId"] for edge in page["edges"]]


async def _index(gw: Harness) -> list[int]:
    """Every support id in the index's order, as the gateway pages it (100 at a time)."""
    ids, after = [], None
    while True:
        page = await _page(gw, 100, after)
        ids += _ids(page)
        if not page["pageInfo"]["hasNextPage"]:
            return ids
        after = page["pageInfo"]["endCursor"]


async def _after_edge(gw: Harness, pages: tuple[int, ...], edge: int) -> str:
    """The cursor of edge ``edge`` of the last of these pages, paged from the start."""
    after = None
    for first in pages[:-1]:
        after = (await _page(gw, first, after))["pageInfo"]["endCursor"]
    cursor: str = (await _page(gw, pages[-1], after))["edges"][edge]["cursor"]
    return cursor


#: how a client gets to a cursor: (the pages it read, the edge whose cursor it passes) → the
#: index position the next page starts at (None: no cursor)
CURSORS: dict[str, tuple[Callable[[Harness], Awaitable[str | None]], Callable[[int], int]]] = {
    "none": (lambda gw: _none(), lambda total: 0),
    "mid-page": (lambda gw: _after_edge(gw, (10,), 4), lambda total: 5),
    # the 99th edge of a page of 100 (read as 99 + 1) and of a page of 99: the last item of
    # the first vendor page, as a cursor inside the page read and as one at its end
    "vendor-page-end": (lambda gw: _after_edge(gw, (100,), 98), lambda total: 99),
    "page-end": (lambda gw: _after_edge(gw, (99,), 98), lambda total: 99),
    "mid-second-page": (lambda gw: _after_edge(gw, (100, 100), 49), lambda total: 150),
    "near-the-end": (lambda gw: _after_edge(gw, (100, 100, 2), 1), lambda total: total - 3),
}


async def _none() -> None:
    return None


@pytest.mark.parametrize("where", list(CURSORS))
async def test_a_page_has_first_items_or_all_left_whatever_the_cursor(where: str) -> None:
    async with harness(SETTINGS, world=WORLD) as gw:
        ids = await _index(gw)
        total = len(ids)
        assert total == 205
        get_cursor, position_of = CURSORS[where]
        after = await get_cursor(gw)
        start = position_of(total)

        for first in FIRSTS:
            gw.reset_calls()

            page = await _page(gw, first, after)

            want = ids[start : start + first]
            assert _ids(page) == want, (where, first)
            assert page["totalCount"] == total
            info = page["pageInfo"]
            assert info["hasNextPage"] is (start + len(want) < total), (where, first)
            assert info["hasPreviousPage"] is (after is not None)
            assert info["endCursor"] == page["edges"][-1]["cursor"]
            # one index call per 99 items read, from the cursor's position: no call for items
            # skipped, and never more than the two the cost allows
            assert gw.endpoints("omnidesk") == {INDEX: -(-len(want) // 99)}, (where, first)

            # the end cursor goes on with the next customer (or an empty last page)
            rest = await _page(gw, 1, info["endCursor"])
            assert _ids(rest) == ids[start + len(want) : start + len(want) + 1], (where, first)


async def test_the_cursor_of_the_last_customer_is_an_empty_last_page() -> None:
    async with harness(SETTINGS, world=WORLD) as gw:
        ids = await _index(gw)
        last = await _after_edge(gw, (100, 100, 5), 4)
        gw.reset_calls()

        page = await _page(gw, 100, last)

        assert page["edges"] == []
        assert page["pageInfo"] == {
            "hasNextPage": False,
            "hasPreviousPage": True,
            "endCursor": None,
        }
        assert page["totalCount"] == len(ids)
        assert gw.endpoints("omnidesk") == {INDEX: 1}


async def test_paging_by_99_from_a_cursor_inside_a_vendor_page_covers_the_index() -> None:
    async with harness(SETTINGS, world=WORLD) as gw:
        ids = await _index(gw)
        after: str | None = await _after_edge(gw, (10,), 4)
        gw.reset_calls()

        pages = []
        while after is not None:
            page = await _page(gw, 99, after)
            pages.append(page)
            after = page["pageInfo"]["endCursor"] if page["pageInfo"]["hasNextPage"] else None

        assert [len(p["edges"]) for p in pages] == [99, 99, len(ids) - 5 - 198]
        assert [i for p in pages for i in _ids(p)] == ids[5:]
        assert gw.endpoints("omnidesk") == {INDEX: 3}

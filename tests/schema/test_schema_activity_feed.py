"""The merged activity feed: one cursor pages loyalty events, the support timeline and the
promotion events together, newest first, without gaps or repeats."""

from __future__ import annotations

from collections import Counter

import pytest

from tests.schema.activity_walk import expected_feed, feed_order, feed_page, ids, walk
from tests.schema.gateway_harness import Harness


async def _rich_customer(gw: Harness) -> str:
    """A demo customer with events in all three sources (so the merge has work to do)."""
    for person in gw.acme.customers[:20]:
        expected = await expected_feed(gw, person.customer_id)
        if len({n["source"] for n in expected}) == 3 and len(expected) >= 10:
            return str(person.customer_id)
    raise AssertionError("no demo customer with all three sources")


@pytest.mark.parametrize("first", [1, 3, 7, 100])
async def test_walking_the_feed_yields_every_event_once_in_order(gw: Harness, first: int) -> None:
    customer_id = await _rich_customer(gw)
    expected = await expected_feed(gw, customer_id)

    pages = await walk(gw, customer_id, first)

    walked = [node for page in pages for node in page]
    assert ids(walked) == ids(expected)
    assert all(len(page) == first for page in pages[:-1])
    assert len(pages) == max(1, -(-len(expected) // first))


async def test_each_page_is_newest_first_and_links_to_the_next(gw: Harness) -> None:
    customer_id = await _rich_customer(gw)

    first = await feed_page(gw, customer_id, 4)
    feed = first["data"]["customer"]["activity"]
    second = await feed_page(gw, customer_id, 4, feed["pageInfo"]["endCursor"])

    nodes = [e["node"] for e in feed["edges"]]
    assert nodes == sorted(nodes, key=feed_order, reverse=True)
    assert feed["pageInfo"]["startCursor"] == feed["edges"][0]["cursor"]
    assert feed["pageInfo"]["endCursor"] == feed["edges"][-1]["cursor"]
    assert feed["pageInfo"]["hasPreviousPage"] is False
    assert second["data"]["customer"]["activity"]["pageInfo"]["hasPreviousPage"] is True
    assert feed["sources"] == [
        {"source": "LOYALTY", "complete": True},
        {"source": "SUPPORT", "complete": True},
        {"source": "PROMOTIONS", "complete": True},
    ]


async def test_any_edge_cursor_resumes_right_after_that_edge(gw: Harness) -> None:
    customer_id = await _rich_customer(gw)
    expected = ids(await expected_feed(gw, customer_id))
    page = (await feed_page(gw, customer_id, 8))["data"]["customer"]["activity"]

    for i, edge in enumerate(page["edges"]):
        body = await feed_page(gw, customer_id, 3, edge["cursor"])

        resumed = [e["node"]["id"] for e in body["data"]["customer"]["activity"]["edges"]]
        assert resumed == expected[i + 1 : i + 4]


@pytest.mark.parametrize(
    "sources", [["SUPPORT"], ["PROMOTIONS"], ["LOYALTY"], ["PROMOTIONS", "LOYALTY"]]
)
async def test_the_sources_argument_keeps_only_those_sources(
    gw: Harness, sources: list[str]
) -> None:
    customer_id = await _rich_customer(gw)
    expected = await expected_feed(gw, customer_id, sources)

    pages = await walk(gw, customer_id, 2, sources)

    assert ids([n for page in pages for n in page]) == ids(expected)


async def test_a_source_left_out_is_not_called(gw: Harness) -> None:
    customer_id = gw.acme.customers[2].customer_id
    gw.reset_calls()

    body = await feed_page(gw, customer_id, 5, sources=["SUPPORT", "PROMOTIONS"])

    assert "errors" not in body
    assert "GET /api/v1/customers/events" not in gw.endpoints("tallymarks")
    statuses = body["data"]["customer"]["activity"]["sources"]
    assert [s["source"] for s in statuses] == ["SUPPORT", "PROMOTIONS"]


async def test_a_customer_without_support_or_promotion_records_has_loyalty_events_only(
    gw: Harness,
) -> None:
    customer_id = gw.acme.customers[5].customer_id
    gw.sandboxes["talon"].state.talon.store.apps[gw.acme.talon_application_id].profiles.pop(
        customer_id, None
    )

    pages = await walk(gw, customer_id, 50)

    walked = [n for page in pages for n in page]
    assert walked
    assert {n["source"] for n in walked} <= {"LOYALTY", "SUPPORT"}


async def test_the_feed_of_one_tenant_holds_only_its_own_events(gw: Harness) -> None:
    acme = gw.acme.customers[2].customer_id
    globex = gw.globex.customers[2].customer_id

    acme_ids = {n["id"] for p in await walk(gw, acme, 100) for n in p}
    body = await feed_page(gw, globex, 100, key="key-globex")
    other = await feed_page(gw, acme, 100, key="key-globex")

    globex_ids = {e["node"]["id"] for e in body["data"]["customer"]["activity"]["edges"]}
    assert globex_ids
    assert not acme_ids & globex_ids
    assert other == {"data": {"customer": None}}


async def test_no_event_appears_twice_in_a_walk(gw: Harness) -> None:
    for person in gw.acme.customers[:6]:
        pages = await walk(gw, person.customer_id, 4)

        counts = Counter(n["id"] for page in pages for n in page)
        assert all(n == 1 for n in counts.values())

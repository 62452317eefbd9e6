"""Helpers for the activity feed tests: walk the feed page by page, and build what the feed
should hold from each source's own field (the oracle)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tests.schema.gateway_harness import Harness

SOURCE_RANK = {"LOYALTY": 0, "SUPPORT": 1, "PROMOTIONS": 2}

FEED = """
query($id: ID!, $first: Int!, $after: String, $sources: [EventSource!]) {
  customer(id: $id) {
    activity(first: $first, after: $after, sources: $sources) {
      edges { cursor node { __typename id occurredAt source kind summary } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      sources { source complete }
    }
  }
}
"""

SOURCES_ALONE = """
query($id: ID!) {
  customer(id: $id) {
    events(first: 100) {
      edges { node { id occurredAt source } }
      pageInfo { hasNextPage }
    }
    timeline { id occurredAt source }
    promotionEvents { id occurredAt source }
  }
}
"""


def feed_order(node: dict[str, Any]) -> tuple[datetime, int, str]:
    """The documented order, as a key for ``sorted(..., reverse=True)``: newest first, then
    by source (loyalty, support, promotions), then by id descending."""
    return (datetime.fromisoformat(node["occurredAt"]), -SOURCE_RANK[node["source"]], node["id"])


async def feed_page(
    gw: Harness,
    customer_id: str,
    first: int,
    after: str | None = None,
    sources: list[str] | None = None,
    *,
    key: str | None = None,
) -> dict[str, Any]:
    """The whole response body of one feed page."""
    variables = {"id": customer_id, "first": first, "after": after, "sources": sources}
    return await gw.query(FEED, variables, key=key)


async def walk(
    gw: Harness, customer_id: str, first: int, sources: list[str] | None = None
) -> list[list[dict[str, Any]]]:
    """Every page of the feed (nodes per page); fails on errors or a runaway walk."""
    pages: list[list[dict[str, Any]]] = []
    after = None
    for _ in range(200):
        body = await feed_page(gw, customer_id, first, after, sources)
        assert "errors" not in body, body["errors"]
        feed = body["data"]["customer"]["activity"]
        pages.append([edge["node"] for edge in feed["edges"]])
        if not feed["pageInfo"]["hasNextPage"]:
            return pages
        after = feed["pageInfo"]["endCursor"]
    raise AssertionError("the walk did not end")


async def expected_feed(
    gw: Harness, customer_id: str, sources: list[str] | None = None
) -> list[dict[str, Any]]:
    """The union of the three sources' own lists, in the feed's documented order."""
    body = await gw.query(SOURCES_ALONE, {"id": customer_id})
    assert "errors" not in body, body["errors"]
    customer = body["data"]["customer"]
    assert not customer["events"]["pageInfo"]["hasNextPage"]
    nodes = [
        *(edge["node"] for edge in customer["events"]["edges"]),
        *(customer["timeline"] or []),
        *(customer["promotionEvents"] or []),
    ]
    wanted = set(sources or SOURCE_RANK)
    return sorted((n for n in nodes if n["source"] in wanted), key=feed_order, reverse=True)


def ids(nodes: list[dict[str, Any]]) -> list[str]:
    return [n["id"] for n in nodes]

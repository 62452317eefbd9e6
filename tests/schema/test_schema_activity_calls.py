"""Upstream calls of the activity feed: each source read at most once per page, shared with
the request's other fields, cached across requests, and read only as far as needed."""

from __future__ import annotations

from tests.schema.activity_walk import feed_page
from tests.schema.gateway_harness import Harness

EVENTS = "GET /api/v1/customers/events"
PROFILE = "GET /api/v1/customers/{customerId}"
TIMELINE = "GET /api/v2/customer/timelineByCustomerExternalID"
INVENTORY = "GET /v1/customer_profiles/{integrationId}/inventory"

EVERYTHING = """
query($id: ID!) {
  customer(id: $id) {
    events(first: 5) { edges { node { id } } }
    activity(first: 5) { edges { node { id } } }
    again: activity(first: 5) { edges { node { id source } } }
    timeline { id }
    promotionEvents { id }
    coupons { __typename }
    referrals { __typename }
    giveaways { __typename }
  }
}
"""


def _upstream(gw: Harness) -> dict[str, dict[str, int]]:
    return {v: gw.endpoints(v) for v in ("tallymarks", "omnidesk", "talon")}


async def test_the_first_page_reads_each_source_once(gw: Harness) -> None:
    customer_id = gw.acme.customers[2].customer_id

    body = await feed_page(gw, customer_id, 5)

    assert "errors" not in body
    assert _upstream(gw) == {
        "tallymarks": {PROFILE: 1, EVENTS: 1},
        "omnidesk": {TIMELINE: 1},
        "talon": {INVENTORY: 1},
    }


async def test_the_feed_shares_its_reads_with_the_sources_own_fields(gw: Harness) -> None:
    customer_id = gw.acme.customers[2].customer_id

    body = await gw.query(EVERYTHING, {"id": customer_id})

    assert "errors" not in body
    customer = body["data"]["customer"]
    assert customer["activity"]["edges"] == [
        {"node": {"id": e["node"]["id"]}} for e in customer["again"]["edges"]
    ]
    assert _upstream(gw) == {
        "tallymarks": {PROFILE: 1, EVENTS: 1},
        "omnidesk": {TIMELINE: 1},
        "talon": {INVENTORY: 1},
    }


async def test_the_same_query_again_is_served_from_the_cache(gw: Harness) -> None:
    customer_id = gw.acme.customers[2].customer_id
    await gw.query(EVERYTHING, {"id": customer_id})
    gw.reset_calls()

    body = await gw.query(EVERYTHING, {"id": customer_id})

    assert "errors" not in body
    assert gw.calls() == 0


async def test_the_next_page_reads_only_the_next_loyalty_page(gw: Harness) -> None:
    customer_id = gw.acme.customers[2].customer_id
    first = await feed_page(gw, customer_id, 5)
    after = first["data"]["customer"]["activity"]["pageInfo"]["endCursor"]
    gw.reset_calls()

    body = await feed_page(gw, customer_id, 5, after)

    assert "errors" not in body
    assert _upstream(gw) == {"tallymarks": {EVENTS: 1}, "omnidesk": {}, "talon": {}}


async def test_a_used_up_source_is_not_read_again(gw: Harness) -> None:
    customer_id = gw.acme.customers[2].customer_id
    body = await feed_page(gw, customer_id, 100, sources=["LOYALTY"])
    last = body["data"]["customer"]["activity"]["edges"][-1]["cursor"]
    gw.reset_calls()

    after_all = await feed_page(gw, customer_id, 5, last, sources=["LOYALTY"])

    feed = after_all["data"]["customer"]["activity"]
    assert (feed["edges"], feed["pageInfo"]["hasNextPage"]) == ([], False)
    assert gw.calls() == 0

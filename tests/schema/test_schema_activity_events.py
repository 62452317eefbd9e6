"""``Customer.events``: the loyalty events (Tallymarks) as a Relay connection over the
vendor's ``offsetKey`` paging, with filters; and ``Customer.promotionEvents``."""

from __future__ import annotations

from typing import Any

import pytest

from tests.schema.gateway_harness import Harness

EVENTS = """
query($id: ID!, $first: Int!, $after: String, $filter: LoyaltyEventFilter) {
  customer(id: $id) {
    events(first: $first, after: $after, filter: $filter) {
      edges {
        cursor
        node { id eventId occurredAt source kind summary eventType nameSpace reference }
      }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    }
  }
}
"""
SEARCH = "GET /api/v1/customers/events"


async def _events(gw: Harness, customer_id: str, first: int = 100, **kw: Any) -> dict[str, Any]:
    body = await gw.query(EVENTS, {"id": customer_id, "first": first, **kw})
    assert "errors" not in body, body["errors"]
    events: dict[str, Any] = body["data"]["customer"]["events"]
    return events


def _nodes(connection: dict[str, Any]) -> list[dict[str, Any]]:
    return [e["node"] for e in connection["edges"]]


async def test_events_are_newest_first_with_their_loyalty_details(gw: Harness) -> None:
    customer_id = gw.acme.customers[2].customer_id

    events = _nodes(await _events(gw, customer_id))

    assert len(events) > 5
    times = [e["occurredAt"] for e in events]
    assert times == sorted(times, reverse=True)
    order = next(e for e in events if e["eventType"] == "ORDER")
    assert order["id"] == f"loyalty:{order['eventId']}"
    assert (order["source"], order["kind"], order["nameSpace"]) == (
        "LOYALTY",
        "order",
        "Order.Completed",
    )
    assert order["summary"] == f"Order.Completed ({order['reference']})"
    assert gw.endpoints("tallymarks")[SEARCH] == 1


async def test_paging_events_walks_them_all_once(gw: Harness) -> None:
    customer_id = gw.acme.customers[2].customer_id
    everything = [e["id"] for e in _nodes(await _events(gw, customer_id))]
    gw.reset_calls()

    walked: list[str] = []
    after = None
    while True:
        page = await _events(gw, customer_id, 4, after=after)
        walked += [e["id"] for e in _nodes(page)]
        if not page["pageInfo"]["hasNextPage"]:
            break
        assert page["pageInfo"]["endCursor"] == page["edges"][-1]["cursor"]
        after = page["pageInfo"]["endCursor"]

    assert walked == everything
    assert gw.calls("tallymarks", SEARCH) == -(-len(everything) // 4)


@pytest.mark.parametrize(
    ("where", "check"),
    [
        ({"eventType": "ORDER"}, lambda e: e["eventType"] == "ORDER"),
        ({"keyword": "Purchase"}, lambda e: "Purchase" in (e["nameSpace"] or "")),
        (
            {"from": "2026-01-01T00:00:00Z", "to": "2026-06-30T23:59:59Z"},
            lambda e: "2026-01-01" <= e["occurredAt"][:10] <= "2026-06-30",
        ),
    ],
)
async def test_the_filter_narrows_the_events(
    gw: Harness, where: dict[str, str], check: Any
) -> None:
    customer_id = gw.acme.customers[2].customer_id
    everything = _nodes(await _events(gw, customer_id))

    narrowed = _nodes(await _events(gw, customer_id, filter=where))

    assert narrowed
    assert narrowed == [e for e in everything if check(e)]


async def test_a_cursor_is_only_good_with_the_same_filter(gw: Harness) -> None:
    customer_id = gw.acme.customers[2].customer_id
    page = await _events(gw, customer_id, 2)

    body = await gw.query(
        EVENTS,
        {
            "id": customer_id,
            "first": 2,
            "after": page["pageInfo"]["endCursor"],
            "filter": {"eventType": "ORDER"},
        },
    )

    assert body["data"]["customer"]["events"] is None
    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "argument": "after"}


@pytest.mark.parametrize(
    ("variables", "argument"),
    [
        ({"first": 0}, "first"),
        ({"first": 101}, "first"),
        ({"first": 5, "after": "not a cursor"}, "after"),
        (
            {"first": 5, "filter": {"from": "2026-02-01T00:00:00Z", "to": "2026-01-01T00:00:00Z"}},
            "filter",
        ),
    ],
)
async def test_bad_arguments_are_bad_input(
    gw: Harness, variables: dict[str, Any], argument: str
) -> None:
    body = await gw.query(EVENTS, {"id": gw.acme.customers[2].customer_id, **variables})

    assert body["data"]["customer"]["events"] is None
    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "argument": argument}
    assert gw.calls("tallymarks", SEARCH) == 0


async def test_with_tallymarks_down_only_the_events_are_null(gw: Harness) -> None:
    customer_id = gw.acme.customers[2].customer_id
    await gw.query("query($id: ID!) { customer(id: $id) { customerId } }", {"id": customer_id})
    gw.fault("tallymarks", down=True)

    body = await gw.query(
        "query($id: ID!) { customer(id: $id) { events { edges { cursor } } "
        "promotionEvents { id } timeline { id } } }",
        {"id": customer_id},
    )

    customer = body["data"]["customer"]
    assert customer["events"] is None
    assert customer["promotionEvents"]
    assert customer["timeline"]
    (error,) = body["errors"]
    assert error["path"] == ["customer", "events"]
    assert error["extensions"] == {
        "code": "UPSTREAM_UNAVAILABLE",
        "vendor": "tallymarks",
        "retryable": True,
    }


PROMOTIONS = """
query($id: ID!) {
  customer(id: $id) {
    promotionEvents {
      id occurredAt source kind summary promotionEventType code campaignId redeemed
    }
    coupons { __typename }
  }
}
"""


async def test_promotion_events_come_from_the_inventory_in_one_call(gw: Harness) -> None:
    kinds: set[str] = set()
    for person in gw.acme.customers[:10]:
        body = await gw.query(PROMOTIONS, {"id": person.customer_id})

        assert "errors" not in body
        events = body["data"]["customer"]["promotionEvents"]
        if events is None:  # no Talon.One profile
            continue
        times = [e["occurredAt"] for e in events]
        assert times == sorted(times, reverse=True)
        for event in events:
            assert event["source"] == "PROMOTIONS"
            assert event["kind"] == event["promotionEventType"].lower()
            assert event["code"] in event["summary"]
            assert event["id"].startswith("promotions:")
            kinds.add(event["promotionEventType"])
    assert kinds <= {"COUPON_RESERVED", "REFERRAL_CREATED", "GIVEAWAY_AWARDED"}
    assert gw.calls("talon") == gw.calls(
        "talon", "GET /v1/customer_profiles/{integrationId}/inventory"
    )
    assert gw.calls("talon") == 10


async def test_promotion_events_cover_coupons_referrals_and_giveaways(gw: Harness) -> None:
    seen: set[str] = set()
    redeemed: set[bool] = set()
    for person in gw.acme.customers[:40]:
        body = await gw.query(PROMOTIONS, {"id": person.customer_id})
        for event in body["data"]["customer"]["promotionEvents"] or []:
            seen.add(event["promotionEventType"])
            redeemed.add(event["redeemed"])

    assert seen == {"COUPON_RESERVED", "REFERRAL_CREATED", "GIVEAWAY_AWARDED"}
    assert redeemed == {True, False}


async def test_a_customer_unknown_to_talon_has_no_promotion_events(gw: Harness) -> None:
    person = gw.acme.customers[4]
    app = gw.sandboxes["talon"].state.talon.store.apps[gw.acme.talon_application_id]
    app.profiles.pop(person.customer_id, None)

    body = await gw.query(PROMOTIONS, {"id": person.customer_id})

    assert body == {"data": {"customer": {"promotionEvents": None, "coupons": None}}}

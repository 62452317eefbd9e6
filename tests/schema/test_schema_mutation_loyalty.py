"""Loyalty writes (Tallymarks): segments, events, redemptions, basket assessment."""

from __future__ import annotations

import uuid

from sandbox.tallymarks.segments import segment_id
from tests.schema.gateway_harness import Harness

ADD = """
mutation($c: ID!, $s: ID!) {
  addCustomerToSegment(customerId: $c, segmentId: $s) {
    customer { customerId } segment { id name expiresAt }
  }
}
"""
REMOVE = """
mutation($c: ID!, $s: ID!) {
  removeCustomerFromSegment(customerId: $c, segmentId: $s) { segmentId removed }
}
"""
SEGMENTS = "query($id: ID!) { customer(id: $id) { loyaltySegments { id } } }"
TRACK = """
mutation($input: TrackLoyaltyEventInput!) {
  trackLoyaltyEvent(input: $input) { eventId alreadyRecorded customer { pointsBalance { points } } }
}
"""
REDEEM = """
mutation($input: RedeemPointsInput!) {
  redeemPoints(input: $input) { eventId alreadyRecorded currentBalance pendingBalance }
}
"""
BASKET = """
mutation($input: AssessBasketInput!) {
  assessBasket(input: $input) { potentialPoints outcomes { fulfilment points } }
}
"""
SEGMENTS_PUT = "PUT /api/v1/customers/{customerId}/segments"
SEGMENTS_GET = "GET /api/v1/customers/{customerId}/segments"


def segment(gw: Harness, name: str) -> str:
    return segment_id(gw.acme.tallymarks_tenant_id, name)


async def test_add_to_a_segment_shows_in_the_next_read(gw: Harness) -> None:
    person = gw.acme.customers[13].customer_id
    newsletter = segment(gw, "Newsletter")
    await gw.query(REMOVE, {"c": person, "s": newsletter})  # start outside it
    before = await gw.query(SEGMENTS, {"id": person})
    assert {"id": newsletter} not in before["data"]["customer"]["loyaltySegments"]
    gw.reset_calls()

    added = await gw.query(ADD, {"c": person, "s": newsletter})
    after = await gw.query(SEGMENTS, {"id": person})

    assert added["data"]["addCustomerToSegment"]["segment"]["id"] == newsletter
    assert {"id": newsletter} in after["data"]["customer"]["loyaltySegments"]
    assert gw.endpoints("tallymarks") == {SEGMENTS_PUT: 1, SEGMENTS_GET: 1}


async def test_removing_twice_is_not_an_error(gw: Harness) -> None:
    person = gw.acme.customers[14].customer_id
    vip = segment(gw, "VIP")
    await gw.query(ADD, {"c": person, "s": vip})

    first = await gw.query(REMOVE, {"c": person, "s": vip})
    second = await gw.query(REMOVE, {"c": person, "s": vip})

    assert first["data"]["removeCustomerFromSegment"]["removed"] is True
    assert second["data"]["removeCustomerFromSegment"]["removed"] is False


async def test_a_refused_segment_is_an_error_naming_the_vendor(gw: Harness) -> None:
    person = gw.acme.customers[14].customer_id

    archived = await gw.query(ADD, {"c": person, "s": segment(gw, "Legacy Members")})
    unknown = await gw.query(ADD, {"c": person, "s": str(uuid.uuid4())})

    assert archived["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert archived["errors"][0]["extensions"]["vendor"] == "tallymarks"
    assert unknown["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_a_loyalty_event_is_recorded_once_per_event_id(gw: Harness) -> None:
    person = gw.acme.customers[15].customer_id
    event = {
        "customerId": person,
        "eventId": str(uuid.uuid4()),
        "points": {"amount": 40},
        "nameSpace": "Goodwill",
    }
    before = await gw.query(
        "query($id: ID!) { customer(id: $id) { pointsBalance { points } } }", {"id": person}
    )
    points = before["data"]["customer"]["pointsBalance"]["points"]

    first = (await gw.query(TRACK, {"input": event}))["data"]["trackLoyaltyEvent"]
    again = (await gw.query(TRACK, {"input": event}))["data"]["trackLoyaltyEvent"]

    assert (first["alreadyRecorded"], again["alreadyRecorded"]) == (False, True)
    assert first["eventId"] == event["eventId"]
    assert first["customer"]["pointsBalance"]["points"] == points + 40
    assert again["customer"]["pointsBalance"]["points"] == points + 40
    assert gw.calls("tallymarks", "POST /api/v1/events/points") == 2


async def test_an_order_event_with_lines(gw: Harness) -> None:
    order = {
        "customerId": gw.acme.customers[15].customer_id,
        "reference": "ORD-1",
        "order": {"total": 120.5, "lineItems": [{"sku": "SHOE-1", "quantity": 2}]},
    }

    body = await gw.query(TRACK, {"input": order})

    assert body["data"]["trackLoyaltyEvent"]["alreadyRecorded"] is False
    assert gw.calls("tallymarks", "POST /api/v1/events/orders") == 1


async def test_bad_event_input_names_the_argument(gw: Harness) -> None:
    person = gw.acme.customers[15].customer_id
    cases = [
        ({"customerId": person}, "input"),
        ({"customerId": person, "points": {"amount": 1}, "action": {}}, "input"),
        ({"customerId": person, "action": {"count": 1}}, "input.nameSpace"),
        ({"customerId": person, "points": {"amount": 0}}, "input.points.amount"),
        (
            {
                "customerId": person,
                "order": {"total": 1, "lineItems": [{"sku": "A", "quantity": 0}]},
            },
            "input.order.lineItems[0].quantity",
        ),
        ({"customerId": person, "eventId": "nope", "points": {"amount": 1}}, "input.eventId"),
    ]
    for event, argument in cases:
        body = await gw.query(TRACK, {"input": event})

        assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "argument": argument}
    assert gw.calls() == 0


async def test_redeeming_points_reports_both_balances(gw: Harness) -> None:
    person = gw.acme.customers[16].customer_id
    await gw.query(TRACK, {"input": {"customerId": person, "points": {"amount": 500}}})
    gw.reset_calls()

    body = await gw.query(REDEEM, {"input": {"customerId": person, "points": 200}})

    payload = body["data"]["redeemPoints"]
    assert payload["currentBalance"] - payload["pendingBalance"] == 200
    assert payload["alreadyRecorded"] is False
    assert gw.endpoints("tallymarks") == {"POST /api/v1/events/redemptions": 1}


async def test_redeeming_more_than_the_balance_is_bad_input(gw: Harness) -> None:
    person = gw.acme.customers[16].customer_id

    body = await gw.query(REDEEM, {"input": {"customerId": person, "points": 10_000_000}})
    zero = await gw.query(REDEEM, {"input": {"customerId": person, "points": 0}})

    assert body["errors"][0]["extensions"] == {
        "code": "BAD_USER_INPUT",
        "argument": "input.points",
        "vendor": "tallymarks",
    }
    assert zero["errors"][0]["extensions"]["argument"] == "input.points"


async def test_assessing_a_basket_records_nothing(gw: Harness) -> None:
    basket = {
        "customerId": gw.acme.customers[17].customer_id,
        "total": 250.0,
        "lineItems": [{"sku": "JKT-RAIN-01", "price": 125.0, "quantity": 2}],
    }

    body = await gw.query(BASKET, {"input": basket})

    assert body["data"]["assessBasket"]["potentialPoints"] >= 0
    assert gw.endpoints("tallymarks") == {"POST /api/v1/events/baskets": 1}

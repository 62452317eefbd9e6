"""Cart sessions (Talon.One): update with typed effects, dry run, return items, read."""

from __future__ import annotations

import asyncio
from typing import Any

from tests.schema.gateway_harness import Harness
from tests.schema.test_schema_mutation_customer import set_talon_options

UPDATE = """
mutation($id: ID!, $input: UpdateCartSessionInput!, $dry: Boolean! = false) {
  updateCartSession(id: $id, input: $input, dryRun: $dry) {
    dryRun
    session { id customerId state total couponCodes items { position sku quantity } }
    effects {
      __typename
      ... on RuleEffect { effectType campaignId }
      ... on DiscountEffect { name value cartItemPosition }
      ... on CouponAcceptedEffect { code }
      ... on CouponRejectedEffect { code reason }
      ... on LoyaltyPointsAddedEffect { points recipientCustomerId }
    }
  }
}
"""
RETURN = """
mutation($id: ID!, $items: [ReturnedCartItemInput!]!) {
  returnCartItems(sessionId: $id, items: $items) {
    returnId
    session { state items { position returnedQuantity remainingQuantity } }
    effects { __typename ... on RollbackEffect { kind name value } }
  }
}
"""
READ = """
query($id: ID!) {
  cartSession(id: $id) {
    state customer { customerId }
    effects { __typename }
  }
}
"""
SESSION_PUT = "PUT /v2/customer_sessions/{customerSessionId}"
SESSION_GET = "GET /v2/customer_sessions/{customerSessionId}"
SHOES = {
    "sku": "SHOE-RUN-01",
    "name": "Trail running shoes",
    "quantity": 1,
    "price": 89.95,
    "category": "shoes",
}
BAGS = {"sku": "BAG-DAY-01", "name": "Day pack", "quantity": 2, "price": 49.0, "category": "bags"}


def cart(customer_id: str, **extra: Any) -> dict[str, Any]:
    return {"customerId": customer_id, "cartItems": [SHOES, BAGS], **extra}


def typenames(effects: list[dict[str, Any]]) -> set[str]:
    return {e["__typename"] for e in effects}


async def test_a_cart_update_returns_the_session_and_typed_effects(gw: Harness) -> None:
    person = gw.acme.customers[20].customer_id
    codes = {"couponCodes": ["WELCOME10", "NOPE-1234"]}

    body = await gw.query(UPDATE, {"id": "cart-1", "input": cart(person, **codes)})

    payload = body["data"]["updateCartSession"]
    assert payload["session"]["state"] == "OPEN"
    assert payload["session"]["customerId"] == person
    assert payload["session"]["total"] == 187.95
    effects = payload["effects"]
    assert {"__typename": "CouponAcceptedEffect", "effectType": "acceptCoupon"}.items() <= next(
        e for e in effects if e["__typename"] == "CouponAcceptedEffect"
    ).items()
    rejected = next(e for e in effects if e["__typename"] == "CouponRejectedEffect")
    assert (rejected["code"], rejected["reason"], rejected["campaignId"]) == (
        "NOPE-1234",
        "COUPON_NOT_FOUND",
        None,
    )
    per_item = [e for e in effects if e.get("cartItemPosition") == 0]
    assert per_item
    assert per_item[0]["__typename"] == "DiscountEffect"
    points = next(e for e in effects if e["__typename"] == "LoyaltyPointsAddedEffect")
    assert points["recipientCustomerId"] == person
    assert gw.endpoints("talon") == {SESSION_PUT: 1}


async def test_a_dry_run_stores_nothing(gw: Harness) -> None:
    person = gw.acme.customers[21].customer_id

    body = await gw.query(UPDATE, {"id": "cart-dry", "input": cart(person), "dry": True})
    read = await gw.query(READ, {"id": "cart-dry"})

    assert body["data"]["updateCartSession"]["dryRun"] is True
    assert "DiscountEffect" in typenames(body["data"]["updateCartSession"]["effects"])
    assert read == {"data": {"cartSession": None}}


async def test_closing_and_returning_rolls_effects_back(gw: Harness) -> None:
    person = gw.acme.customers[22].customer_id
    await gw.query(UPDATE, {"id": "cart-ret", "input": cart(person)})
    closed = await gw.query(UPDATE, {"id": "cart-ret", "input": {"state": "CLOSED"}})
    assert closed["data"]["updateCartSession"]["session"]["state"] == "CLOSED"
    gw.reset_calls()

    body = await gw.query(RETURN, {"id": "cart-ret", "items": [{"position": 0}]})

    payload = body["data"]["returnCartItems"]
    assert payload["returnId"] is not None
    assert payload["session"]["state"] == "PARTIALLY_RETURNED"
    assert payload["session"]["items"][0] == {
        "position": 0,
        "returnedQuantity": 1,
        "remainingQuantity": 0,
    }
    assert typenames(payload["effects"]) == {"RollbackEffect"}
    assert {"kind": "DISCOUNT", "name": "20% off shoes", "value": 17.99} in [
        {k: e[k] for k in ("kind", "name", "value")} for e in payload["effects"]
    ]
    assert gw.endpoints("talon") == {"POST /v2/customer_sessions/{customerSessionId}/returns": 1}


async def test_returning_from_an_open_session_is_refused(gw: Harness) -> None:
    person = gw.acme.customers[23].customer_id
    await gw.query(UPDATE, {"id": "cart-open", "input": cart(person)})

    body = await gw.query(RETURN, {"id": "cart-open", "items": [{"position": 0}]})

    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert body["errors"][0]["extensions"]["vendor"] == "talon"


async def test_the_cart_session_query_reads_the_session_with_its_effects_once(
    gw: Harness,
) -> None:
    person = gw.acme.customers[24].customer_id
    await gw.query(UPDATE, {"id": "cart-read", "input": cart(person)})
    gw.reset_calls()

    body = await gw.query(
        "query($id: ID!) { a: cartSession(id: $id) { state effects { __typename } } "
        "b: cartSession(id: $id) { customer { customerId } } }",
        {"id": "cart-read"},
    )

    assert body["data"]["a"]["state"] == "OPEN"
    assert "DiscountEffect" in typenames(body["data"]["a"]["effects"])
    assert body["data"]["b"]["customer"] == {"customerId": person}
    assert gw.endpoints("talon") == {SESSION_GET: 1}
    unknown = await gw.query(READ, {"id": "no-such-cart"})
    assert unknown == {"data": {"cartSession": None}}


async def test_no_stale_read_of_a_cart_after_your_own_update(gw: Harness) -> None:
    person = gw.acme.customers[25].customer_id
    await gw.query(UPDATE, {"id": "cart-fresh", "input": cart(person)})
    await gw.query(READ, {"id": "cart-fresh"})

    await gw.query(UPDATE, {"id": "cart-fresh", "input": {"state": "CANCELLED"}})
    body = await gw.query(READ, {"id": "cart-fresh"})

    assert body["data"]["cartSession"]["state"] == "CANCELLED"


async def test_bad_cart_input_names_the_argument(gw: Harness) -> None:
    item = {"sku": "A", "name": "A", "quantity": 1, "price": 1.0}
    cases = [
        ({"cartItems": [{**item, "sku": " "}]}, "input.cartItems[0].sku"),
        ({"cartItems": [item, {**item, "quantity": 0}]}, "input.cartItems[1].quantity"),
        ({"cartItems": [{**item, "price": -1.0}]}, "input.cartItems[0].price"),
        ({"cartItems": [item] * 1001}, "input.cartItems"),
        ({"couponCodes": ["X" * 101]}, "input.couponCodes[0]"),
        ({"attributes": "nope"}, "input.attributes"),
    ]
    for changes, argument in cases:
        body = await gw.query(UPDATE, {"id": "cart-bad", "input": changes})

        assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "argument": argument}
    returns = await gw.query(RETURN, {"id": "cart-bad", "items": []})
    assert returns["errors"][0]["extensions"]["argument"] == "items"
    twice = await gw.query(RETURN, {"id": "cart-bad", "items": [{"position": 1}, {"position": 1}]})
    assert twice["errors"][0]["extensions"]["argument"] == "items[1].position"
    assert gw.calls() == 0


async def test_overlapping_updates_of_one_session_are_queued_not_conflicts(gw: Harness) -> None:
    person = gw.acme.customers[26].customer_id
    await set_talon_options(gw, processing_delay_ms=300)

    first, second = await asyncio.gather(
        gw.query(UPDATE, {"id": "cart-busy", "input": cart(person)}),
        gw.query(UPDATE, {"id": "cart-busy", "input": cart(person)}),
    )

    assert "errors" not in first
    assert "errors" not in second
    assert gw.calls("talon", SESSION_PUT) == 2

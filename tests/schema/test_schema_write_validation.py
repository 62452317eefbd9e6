"""Writes are checked against what every target vendor accepts before the first call.

Each case sends one out-of-range value to a mutation and expects ``BAD_USER_INPUT`` naming
the field, with no request reaching any vendor (so nothing is left half written, and
nothing is stored that a later read could not parse).
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.schema.gateway_harness import Harness

CUSTOMER = "12708cee-2e22-4e00-ab56-39c09a06f9c5"

UPDATE = """
mutation($id: ID!, $input: UpdateCustomerInput!) {
  updateCustomer(id: $id, input: $input, idempotencyKey: "write-validation") { complete }
}
"""
CREATE = """
mutation($input: CreateCustomerInput!) {
  createCustomer(input: $input, idempotencyKey: "write-validation") { complete }
}
"""
TRACK = """
mutation($input: TrackLoyaltyEventInput!) { trackLoyaltyEvent(input: $input) { __typename } }
"""
REDEEM = "mutation($input: RedeemPointsInput!) { redeemPoints(input: $input) { __typename } }"
BASKET = "mutation($input: AssessBasketInput!) { assessBasket(input: $input) { __typename } }"
REFERRAL = """
mutation($input: CreateReferralInput!) { createReferral(input: $input) { __typename } }
"""
REFERRALS = """
mutation($input: CreateReferralsInput!) { createReferrals(input: $input) { __typename } }
"""
CART = """
mutation($input: UpdateCartSessionInput!) {
  updateCartSession(id: "write-validation-cart", input: $input) { __typename }
}
"""

LONG = "x" * 256
ORDER = {"total": 10.0}
ITEM = {"sku": "SKU-1", "name": "Tent", "quantity": 1, "price": 10.0}


def _event(**fields: Any) -> dict[str, Any]:
    return {"customerId": CUSTOMER, "nameSpace": "Customer.Review", "action": {}, **fields}


def _order(**fields: Any) -> dict[str, Any]:
    return {"customerId": CUSTOMER, "order": {**ORDER, **fields}}


#: (mutation, input, the argument the error must name)
PERSON_CASES: list[tuple[str, dict[str, Any], str]] = [
    ("dateOfBirth", {"dateOfBirth": "0999-01-01"}, "input.dateOfBirth"),
    ("dateOfBirth", {"dateOfBirth": "1899-12-31"}, "input.dateOfBirth"),
    ("dateOfBirth", {"dateOfBirth": "2999-01-01"}, "input.dateOfBirth"),
    ("firstName", {"firstName": "A" * 101}, "input.firstName"),
    ("firstName", {"firstName": "R2D2"}, "input.firstName"),
    ("lastName", {"lastName": "B" * 101}, "input.lastName"),
    ("displayName", {"displayName": LONG}, "input.displayName"),
    ("email", {"email": "no-at-sign.example.org"}, "input.email"),
    ("email", {"email": "a" * 250 + "@example.org"}, "input.email"),
    ("mobileNumber", {"mobileNumber": "0612345678"}, "input.mobileNumber"),
    ("contactPhone", {"contactPhone": "call me maybe"}, "input.contactPhone"),
    ("contactPhone", {"contactPhone": "+31 " + "6" * 40}, "input.contactPhone"),
    ("externalReference", {"externalReference": LONG}, "input.externalReference"),
    ("externalStatus", {"externalStatus": LONG}, "input.externalStatus"),
    (
        "loyaltyAttributes",
        {"loyaltyAttributes": [{"name": "tier", "value": LONG}]},
        "input.loyaltyAttributes[0].value",
    ),
    (
        "loyaltyAttributes",
        {"loyaltyAttributes": [{"name": "n" * 101, "value": "gold"}]},
        "input.loyaltyAttributes[0].name",
    ),
    (
        "supportCustomFields",
        {"supportCustomFields": [{"name": "tier", "value": LONG}]},
        "input.supportCustomFields[0].value",
    ),
]

#: single-vendor writes with constrained fields: (name, mutation, input, argument)
SINGLE_VENDOR_CASES: list[tuple[str, str, dict[str, Any], str]] = [
    (
        "event occurredAt year 999",
        TRACK,
        _event(occurredAt="0999-01-01T00:00:00Z"),
        "input.occurredAt",
    ),
    (
        "event occurredAt far ahead",
        TRACK,
        _event(occurredAt="2999-01-01T00:00:00Z"),
        "input.occurredAt",
    ),
    ("event nameSpace too long", TRACK, _event(nameSpace=LONG), "input.nameSpace"),
    ("event reference too long", TRACK, _event(reference=LONG), "input.reference"),
    (
        "event attribute too long",
        TRACK,
        _event(attributes=[{"name": "store", "value": LONG}]),
        "input.attributes[0].value",
    ),
    (
        "action amount too large",
        TRACK,
        _event(action={"amount": 1e12}),
        "input.action.amount",
    ),
    ("negative order total", TRACK, _order(total=-1.0), "input.order.total"),
    ("order total too large", TRACK, _order(total=1e12), "input.order.total"),
    ("negative tax", TRACK, _order(taxTotal=-0.5), "input.order.taxTotal"),
    ("negative shipping", TRACK, _order(shippingTotal=-0.5), "input.order.shippingTotal"),
    ("currency not ISO", TRACK, _order(currency="euro"), "input.order.currency"),
    (
        "negative line price",
        TRACK,
        _order(lineItems=[{"sku": "SKU-1", "price": -2.0}]),
        "input.order.lineItems[0].price",
    ),
    (
        "line productType too long",
        TRACK,
        _order(lineItems=[{"sku": "SKU-1", "productType": LONG}]),
        "input.order.lineItems[0].productType",
    ),
    (
        "negative transaction total",
        TRACK,
        {"customerId": CUSTOMER, "transaction": {"total": -3.0}},
        "input.transaction.total",
    ),
    (
        "redemption reference too long",
        REDEEM,
        {"customerId": CUSTOMER, "points": 5, "reference": LONG},
        "input.reference",
    ),
    (
        "negative basket total",
        BASKET,
        {"customerId": CUSTOMER, "total": -1.0},
        "input.total",
    ),
    (
        "basket currency not ISO",
        BASKET,
        {"customerId": CUSTOMER, "total": 1.0, "currency": "eu"},
        "input.currency",
    ),
    (
        "referral start year 999",
        REFERRAL,
        {"campaignId": 1, "advocateId": CUSTOMER, "startsAt": "0999-01-01T00:00:00Z"},
        "input.startsAt",
    ),
    (
        "referrals end after 2999",
        REFERRALS,
        {"campaignId": 1, "advocateIds": [CUSTOMER], "expiresAt": "3000-01-01T00:00:00Z"},
        "input.expiresAt",
    ),
    (
        "cart item price too large",
        CART,
        {"customerId": CUSTOMER, "cartItems": [{**ITEM, "price": 1e12}]},
        "input.cartItems[0].price",
    ),
    (
        "additional cost negative",
        CART,
        {"customerId": CUSTOMER, "additionalCosts": [{"name": "shipping", "price": -1.0}]},
        "input.additionalCosts[0].price",
    ),
]


def _refused(body: dict[str, Any], argument: str) -> None:
    assert body.get("data") in (None, {}) or all(v is None for v in body["data"].values())
    [error] = body["errors"]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "argument": argument}, error


async def _refused_before_any_call(
    gw: Harness, query: str, variables: dict[str, Any], argument: str
) -> None:
    gw.reset_calls()
    response = await gw.post(query, variables)
    assert response.status_code == 200
    _refused(response.json(), argument)
    assert gw.calls() == 0, {v: gw.endpoints(v) for v in ("tallymarks", "omnidesk", "talon")}


async def test_the_finding_a_year_999_birth_date_is_refused_before_any_call(gw: Harness) -> None:
    gw.reset_calls()
    body = await gw.query(
        'mutation($id: ID!) { updateCustomer(id: $id, input: {dateOfBirth: "0999-01-01"}, '
        'idempotencyKey: "finding-6") { complete } }',
        {"id": CUSTOMER},
    )

    [error] = body["errors"]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "argument": "input.dateOfBirth"}
    assert gw.calls() == 0
    read = await gw.query(
        "query($id: ID!) { customer(id: $id) { customerId loyaltyProfile { dateOfBirth } } }",
        {"id": CUSTOMER},
    )
    assert "errors" not in read
    assert read["data"]["customer"]["loyaltyProfile"]["dateOfBirth"].startswith("19")


@pytest.mark.parametrize(
    ("field", "person", "argument"), PERSON_CASES, ids=[f"{c[0]}:{c[2]}" for c in PERSON_CASES]
)
async def test_update_customer_refuses_each_out_of_range_field_before_any_call(
    gw: Harness, field: str, person: dict[str, Any], argument: str
) -> None:
    await _refused_before_any_call(gw, UPDATE, {"id": CUSTOMER, "input": person}, argument)


@pytest.mark.parametrize(
    ("field", "person", "argument"), PERSON_CASES, ids=[f"{c[0]}:{c[2]}" for c in PERSON_CASES]
)
async def test_create_customer_refuses_each_out_of_range_field_before_any_call(
    gw: Harness, field: str, person: dict[str, Any], argument: str
) -> None:
    new = {"firstName": "Ada", "email": "ada.range@example.org", **person}
    await _refused_before_any_call(gw, CREATE, {"input": new}, argument)


@pytest.mark.parametrize(
    ("name", "query", "value", "argument"),
    SINGLE_VENDOR_CASES,
    ids=[c[0] for c in SINGLE_VENDOR_CASES],
)
async def test_single_vendor_writes_refuse_out_of_range_values_before_any_call(
    gw: Harness, name: str, query: str, value: dict[str, Any], argument: str
) -> None:
    await _refused_before_any_call(gw, query, {"input": value}, argument)


@pytest.mark.parametrize(
    "person",
    [
        {"dateOfBirth": "1900-01-01"},
        {"dateOfBirth": "2005-06-30", "contactPhone": "+31 (0)20 123-4567"},
        {"firstName": "A" * 100, "externalStatus": "s" * 255},
    ],
    ids=["earliest birth date", "phone as written", "at the length limits"],
)
async def test_values_at_the_limits_are_written_and_read_back(
    gw: Harness, person: dict[str, Any]
) -> None:
    body = await gw.query(UPDATE, {"id": CUSTOMER, "input": person})

    assert "errors" not in body, body
    assert body["data"]["updateCustomer"]["complete"] is True
    read = await gw.query(
        "query($id: ID!) { customer(id: $id) { loyaltyProfile { "
        "firstName dateOfBirth contactPhone externalStatus } } }",
        {"id": CUSTOMER},
    )
    assert "errors" not in read, read
    profile = read["data"]["customer"]["loyaltyProfile"]
    if "dateOfBirth" in person:
        assert profile["dateOfBirth"].startswith(person["dateOfBirth"])
    for key in ("firstName", "contactPhone", "externalStatus"):
        if key in person:
            assert profile[key] == person[key]

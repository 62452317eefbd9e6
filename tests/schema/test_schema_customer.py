"""Customer by id through the real ASGI app."""

from __future__ import annotations

from tests.schema.gateway_harness import Harness

CUSTOMER = """
query($id: ID!) {
  customer(id: $id) { id customerId firstName lastName email loyaltyProfile { isAccountLocked } }
}
"""


async def test_a_customer_by_id_comes_from_the_loyalty_profile(gw: Harness) -> None:
    person = gw.acme.customers[3]

    body = await gw.query(CUSTOMER, {"id": person.customer_id})

    assert "errors" not in body
    customer = body["data"]["customer"]
    assert customer["customerId"] == person.customer_id
    assert (customer["firstName"], customer["email"]) == (person.first_name, person.email)
    assert gw.endpoints("tallymarks") == {"GET /api/v1/customers/{customerId}": 1}


async def test_an_unknown_customer_is_null_without_an_error(gw: Harness) -> None:
    body = await gw.query(CUSTOMER, {"id": "00000000-0000-4000-8000-000000000000"})

    assert body == {"data": {"customer": None}}


async def test_another_tenants_customer_is_null(gw: Harness) -> None:
    stranger = gw.globex.customers[0].customer_id

    body = await gw.query(CUSTOMER, {"id": stranger})

    assert body == {"data": {"customer": None}}


async def test_the_global_id_resolves_through_node(gw: Harness) -> None:
    person = gw.acme.customers[1]
    first = await gw.query(CUSTOMER, {"id": person.customer_id})
    global_id = first["data"]["customer"]["id"]

    body = await gw.query(
        "query($id: ID!) { node(id: $id) { ... on Customer { customerId } } }", {"id": global_id}
    )

    assert body["data"]["node"] == {"customerId": person.customer_id}


async def test_a_request_without_an_api_key_is_rejected_before_any_call(gw: Harness) -> None:
    response = await gw.client.post("/graphql", json={"query": "{ __typename }"})

    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert gw.calls() == 0


async def test_a_vendor_failure_is_an_error_with_a_code_and_no_vendor_body(gw: Harness) -> None:
    gw.fault("tallymarks", error_rate=1.0, error_status=502)

    body = await gw.query(CUSTOMER, {"id": gw.acme.customers[0].customer_id})

    error = body["errors"][0]
    assert error["extensions"] == {
        "code": "UPSTREAM_UNAVAILABLE",
        "vendor": "tallymarks",
        "retryable": True,
    }
    assert "html" not in str(body).lower()


async def test_a_malformed_global_id_is_bad_user_input(gw: Harness) -> None:
    for bad in ("not-base64!", "VW5rbm93bjox"):  # garbage; "Unknown:1"
        body = await gw.query("query($id: ID!) { node(id: $id) { id } }", {"id": bad})

        assert body["data"] == {"node": None}
        assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "argument": "id"}

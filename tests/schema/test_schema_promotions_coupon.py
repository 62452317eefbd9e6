"""coupon(value:) and Coupon.reservedBy: a coupon as known through its holders."""

from __future__ import annotations

from tests.schema.gateway_harness import Harness

COUPON = """
query($value: String!) {
  coupon(value: $value) { value state usageLimit reservedBy { customerId firstName } }
}
"""
HOLDERS = "GET /v1/coupon_reservations/customerprofiles/{couponValue:path}"


async def test_a_coupon_lists_the_customers_holding_it_in_one_call(gw: Harness) -> None:
    holder = gw.acme.customers[0]

    body = await gw.query(COUPON, {"value": "SINGLE-USE"})

    assert body == {
        "data": {
            "coupon": {
                "value": "SINGLE-USE",
                "state": None,
                "usageLimit": None,
                "reservedBy": [{"customerId": holder.customer_id, "firstName": holder.first_name}],
            }
        }
    }
    assert gw.endpoints("talon") == {HOLDERS: 1}


async def test_a_coupon_nobody_holds_has_no_holders(gw: Harness) -> None:
    body = await gw.query(COUPON, {"value": "WELCOME10"})

    assert body["data"]["coupon"]["reservedBy"] == []


async def test_an_unknown_coupon_is_null(gw: Harness) -> None:
    body = await gw.query(COUPON, {"value": "NO-SUCH-CODE"})

    assert body == {"data": {"coupon": None}}


async def test_a_blank_code_is_bad_input(gw: Harness) -> None:
    body = await gw.query(COUPON, {"value": ""})

    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "argument": "value"}
    assert gw.calls() == 0


async def test_a_wallet_coupon_reaches_its_holders(gw: Harness) -> None:
    holder = gw.acme.customers[1]

    body = await gw.query(
        "query($id: ID!) { customer(id: $id) { coupons { value reservedBy { customerId } } } }",
        {"id": holder.customer_id},
    )

    [coupon] = body["data"]["customer"]["coupons"]
    assert {"customerId": holder.customer_id} in coupon["reservedBy"]


async def test_coupons_are_per_tenant(gw: Harness) -> None:
    body = await gw.query(COUPON, {"value": "SINGLE-USE"}, key="key-globex")

    holders = {h["customerId"] for h in body["data"]["coupon"]["reservedBy"]}
    assert holders.isdisjoint(c.customer_id for c in gw.acme.customers)


async def test_talon_down_is_an_error_naming_talon(gw: Harness) -> None:
    gw.fault("talon", down=True)

    body = await gw.query(COUPON, {"value": "SINGLE-USE"})

    assert body["data"] == {"coupon": None}
    assert body["errors"][0]["extensions"]["code"] == "UPSTREAM_UNAVAILABLE"
    assert body["errors"][0]["extensions"]["vendor"] == "talon"

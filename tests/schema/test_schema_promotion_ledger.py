"""``Customer.promotionLoyaltyTransactions``: the worked example of docs/adding-a-read.md (a
new Customer field over a new Talon.One read, declared once in its reads catalogue)."""

from __future__ import annotations

from typing import Any

from tests.schema.gateway_harness import Harness

LEDGER = "GET /v1/loyalty_programs/{loyaltyProgramId}/profile/{integrationId}/transactions"

QUERY = """
query($id: ID!, $program: Int!, $first: Int!) {
  customer(id: $id) {
    promotionLoyalty { programs { id currentBalance } }
    promotionLoyaltyTransactions(programId: $program, first: $first) {
      id createdAt kind amount name sessionId subledgerId starts expires
    }
    again: promotionLoyaltyTransactions(programId: $program, first: $first) { id }
  }
}
"""


async def _customer_with_points(gw: Harness) -> tuple[str, int, float]:
    for c in gw.acme.customers:
        body = await gw.query(
            "query($id: ID!) { customer(id: $id) { promotionLoyalty { programs { id "
            "currentBalance pendingBalance expiredBalance } } } }",
            {"id": c.customer_id},
        )
        for program in body["data"]["customer"]["promotionLoyalty"]["programs"]:
            # every point booked: spending is a row of its own (a subtraction)
            booked = sum(program[k] for k in ("currentBalance", "pendingBalance", "expiredBalance"))
            if booked > 0:
                return c.customer_id, program["id"], booked
    raise AssertionError("no demo customer has promotion points")


async def _ledger(gw: Harness, cid: str, program: int, first: int = 30) -> dict[str, Any]:
    return await gw.query(QUERY, {"id": cid, "program": program, "first": first})


async def test_rows_arrive_newest_first_in_one_call(gw: Harness) -> None:
    cid, program, booked = await _customer_with_points(gw)
    gw.reset_calls()

    body = await _ledger(gw, cid, program)

    assert "errors" not in body
    node = body["data"]["customer"]
    rows = node["promotionLoyaltyTransactions"]
    assert rows
    assert [r["createdAt"] for r in rows] == sorted((r["createdAt"] for r in rows), reverse=True)
    assert sum(r["amount"] if r["kind"] == "addition" else -r["amount"] for r in rows) == booked
    assert node["again"] == [{"id": r["id"]} for r in rows]
    # the two aliases share one call (the inventory is still cached from the lookup)
    assert gw.endpoints("talon") == {LEDGER: 1}


async def test_asked_again_it_comes_from_the_cache(gw: Harness) -> None:
    cid, program, _ = await _customer_with_points(gw)
    await _ledger(gw, cid, program)
    gw.reset_calls()

    await _ledger(gw, cid, program)

    assert gw.calls("talon") == 0


async def test_first_is_sent_as_the_page_size(gw: Harness) -> None:
    cid, program, _ = await _customer_with_points(gw)

    body = await _ledger(gw, cid, program, first=1)

    assert len(body["data"]["customer"]["promotionLoyaltyTransactions"]) == 1


async def test_a_program_the_vendor_does_not_know_is_null(gw: Harness) -> None:
    cid, _, _ = await _customer_with_points(gw)

    body = await _ledger(gw, cid, 999_999)

    assert "errors" not in body
    assert body["data"]["customer"]["promotionLoyaltyTransactions"] is None


async def test_bad_arguments_are_refused_without_a_call(gw: Harness) -> None:
    cid, program, _ = await _customer_with_points(gw)
    gw.reset_calls()

    zero = await _ledger(gw, cid, 0)
    huge = await _ledger(gw, cid, program, first=101)

    for body, argument in ((zero, "programId"), (huge, "first")):
        assert body["data"]["customer"]["promotionLoyaltyTransactions"] is None
        for error in body["errors"]:  # one per alias
            assert error["extensions"]["code"] == "BAD_USER_INPUT"
            assert error["extensions"]["argument"] == argument
    assert gw.calls("talon", LEDGER) == 0


async def test_talon_down_nulls_only_the_ledger(gw: Harness) -> None:
    cid, program, _ = await _customer_with_points(gw)
    gw.fault("talon", down=True)

    body = await gw.query(
        "query($id: ID!, $p: Int!) { customer(id: $id) { customerId "
        "promotionLoyaltyTransactions(programId: $p) { id } } }",
        {"id": cid, "p": program},
    )

    assert body["data"]["customer"] == {"customerId": cid, "promotionLoyaltyTransactions": None}
    (error,) = body["errors"]
    assert error["extensions"]["code"] == "UPSTREAM_UNAVAILABLE"
    assert error["extensions"]["vendor"] == "talon"

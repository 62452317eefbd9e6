"""Customer loyalty fields: points balance, loyalty segments, transactions with their balance."""

from __future__ import annotations

from typing import Any

from tests.schema.gateway_harness import Harness

BALANCE = "GET /api/v1/customers/{customerId}/balance"
SEGMENTS = "GET /api/v1/customers/{customerId}/segments"
TRANSACTIONS = "GET /api/v1/customers/transactions"
PROFILE = "GET /api/v1/customers/{customerId}"


def tenant_data(gw: Harness, tenant: Any) -> Any:
    """The Tallymarks sandbox's records of one tenant (to compare the gateway against)."""
    return gw.sandboxes["tallymarks"].state.store.tenants[tenant.tallymarks_tenant_id.lower()]


def customer_with(gw: Harness, *, transactions: int = 0, segments: int = 0) -> str:
    data = tenant_data(gw, gw.acme)
    for person in gw.acme.customers:
        cid = person.customer_id
        if (
            len(data.transactions_of(cid)) >= transactions
            and len(data.memberships_of(cid)) >= segments
        ):
            return str(cid)
    raise AssertionError("no demo customer with that much history")


async def test_points_balance_is_the_vendor_balance(gw: Harness) -> None:
    cid = customer_with(gw, transactions=3)
    points, changed_at = tenant_data(gw, gw.acme).balance(cid)

    body = await gw.query(
        """query($id: ID!) {
             customer(id: $id) { pointsBalance { points pointsSegment changedAt } }
           }""",
        {"id": cid},
    )

    assert "errors" not in body
    balance = body["data"]["customer"]["pointsBalance"]
    assert balance["points"] == points
    assert balance["pointsSegment"] == "base"
    assert balance["changedAt"].startswith(changed_at.strftime("%Y-%m-%dT%H:%M:%S"))


async def test_every_balance_field_and_alias_shares_one_balance_call(gw: Harness) -> None:
    cid = customer_with(gw, transactions=3)

    body = await gw.query(
        """query($id: ID!) { customer(id: $id) {
             pointsBalance { points }
             again: pointsBalance { changedAt }
             transactions(first: 2) { balance { points } }
             other: transactions(first: 5) { balance { points } }
           } }""",
        {"id": cid},
    )

    assert "errors" not in body
    customer = body["data"]["customer"]
    points = customer["pointsBalance"]["points"]
    assert customer["transactions"]["balance"]["points"] == points
    assert customer["other"]["balance"]["points"] == points
    assert gw.calls("tallymarks", BALANCE) == 1


async def test_loyalty_segments_are_the_current_memberships(gw: Harness) -> None:
    cid = customer_with(gw, segments=1)
    expected = tenant_data(gw, gw.acme).memberships_of(cid)

    body = await gw.query(
        """query($id: ID!) { customer(id: $id) { loyaltySegments {
             __typename id name source displayName description memberSince expiresAt
             sourceEventId
           } } }""",
        {"id": cid},
    )

    assert "errors" not in body
    segments = body["data"]["customer"]["loyaltySegments"]
    assert {s["id"] for s in segments} == set(expected)
    assert all(s["__typename"] == "LoyaltySegment" for s in segments)
    assert all(s["source"] == "LOYALTY" and s["name"] and s["memberSince"] for s in segments)


async def test_loyalty_segments_follow_the_vendor_pages_in_one_cached_read(gw: Harness) -> None:
    cid = customer_with(gw, segments=1)
    query = """query($id: ID!) {
      customer(id: $id) { loyaltySegments { id } again: loyaltySegments { name } }
    }"""

    first = await gw.query(query, {"id": cid})
    calls = gw.calls("tallymarks", SEGMENTS)
    second = await gw.query(query, {"id": cid})

    assert "errors" not in first
    assert first == second
    assert calls == 1
    assert gw.calls("tallymarks", SEGMENTS) == 1


async def test_transactions_are_newest_first_with_every_field(gw: Harness) -> None:
    cid = customer_with(gw, transactions=3)
    ledger = sorted(
        tenant_data(gw, gw.acme).transactions_of(cid),
        key=lambda t: (t.created_at, t.transaction_id),
        reverse=True,
    )

    body = await gw.query(
        """query($id: ID!) { customer(id: $id) { transactions(first: 3) {
             edges { cursor node {
               transactionId eventId amount description nameSpace createdAt externalReference
               assessmentRuleId
             } }
             pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
           } } }""",
        {"id": cid},
    )

    assert "errors" not in body
    connection = body["data"]["customer"]["transactions"]
    nodes = [e["node"] for e in connection["edges"]]
    assert [n["transactionId"] for n in nodes] == [t.transaction_id for t in ledger[:3]]
    assert [n["amount"] for n in nodes] == [t.amount for t in ledger[:3]]
    assert nodes[0]["eventId"] == ledger[0].event_id
    assert nodes[0]["nameSpace"] == ledger[0].name_space
    info = connection["pageInfo"]
    assert info["hasNextPage"] is (len(ledger) > 3)
    assert info["hasPreviousPage"] is False
    assert info["startCursor"] == connection["edges"][0]["cursor"]
    assert info["endCursor"] == connection["edges"][-1]["cursor"]
    assert gw.calls("tallymarks", TRANSACTIONS) == 1


async def test_tallymarks_down_nulls_only_the_loyalty_fields(gw: Harness) -> None:
    cid = customer_with(gw, transactions=1)
    await gw.query("query($id: ID!) { customer(id: $id) { firstName } }", {"id": cid})
    gw.fault("tallymarks", down=True)

    body = await gw.query(
        """query($id: ID!) { customer(id: $id) {
             firstName pointsBalance { points } loyaltySegments { id }
             transactions(first: 5) { edges { node { amount } } }
           } }""",
        {"id": cid},
    )

    customer = body["data"]["customer"]
    assert customer["firstName"]  # the profile was cached by the first request
    assert (customer["pointsBalance"], customer["loyaltySegments"]) == (None, None)
    assert customer["transactions"] is None
    assert {tuple(e["path"][1:]) for e in body["errors"]} == {
        ("pointsBalance",),
        ("loyaltySegments",),
        ("transactions",),
    }
    for error in body["errors"]:
        assert error["extensions"]["code"] == "UPSTREAM_UNAVAILABLE"
        assert error["extensions"]["vendor"] == "tallymarks"


async def test_a_second_request_reads_loyalty_fields_from_the_cache(gw: Harness) -> None:
    cid = customer_with(gw, transactions=1, segments=1)
    query = """query($id: ID!) { customer(id: $id) {
      pointsBalance { points } loyaltySegments { id } transactions(first: 10) { edges { cursor } }
    } }"""

    first = await gw.query(query, {"id": cid})
    gw.reset_calls()
    second = await gw.query(query, {"id": cid})

    assert first == second
    assert gw.calls("tallymarks") == 0

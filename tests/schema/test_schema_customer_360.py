"""The customer-360 query over a 50-customer search page: exactly one upstream call per
distinct upstream resource, none when warm, and partial answers when a vendor is down."""

from __future__ import annotations

from typing import Any

from tests.schema.gateway_harness import Harness

PAGE = 50

CUSTOMER_360 = """
fragment Customer360 on Customer {
  customerId firstName displayName email
  pointsBalance { points changedAt }
  loyaltySegments { id name expiresAt }
  events(first: 10) { edges { node { eventId eventType occurredAt } } }
  transactions(first: 10) { edges { node { transactionId amount createdAt } } balance { points } }
  coupons { value state }
  referrals { code usageCounter }
  promotionLoyalty { programs { name currentBalance } }
  supportProfile { brand { name } channels { type address } }
  timeline { entryKind message occurredAt }
}
query Page($first: Int!) {
  customers(first: $first) { edges { node { ...Customer360 } } pageInfo { hasNextPage } }
}
"""

#: one customer's distinct upstream resources in the query above
PER_CUSTOMER = {
    "tallymarks": [
        "GET /api/v1/customers/{customerId}/balance",  # pointsBalance + transactions.balance
        "GET /api/v1/customers/{customerId}/segments",
        "GET /api/v1/customers/events",
        "GET /api/v1/customers/transactions",
    ],
    "omnidesk": [
        "POST /api/v2/customer/SearchByPrimaryExternalID",  # supportProfile
        "GET /api/v2/customer/timelineByCustomerExternalID",
    ],
    "talon": [
        "GET /v1/customer_profiles/{integrationId}/inventory",  # coupons+referrals+loyalty
    ],
}
SEARCH = "GET /api/v1/customers"


async def page_360(gw: Harness) -> dict[str, Any]:
    return await gw.query(CUSTOMER_360, {"first": PAGE})


def expected_cold() -> dict[str, dict[str, int]]:
    expected = {vendor: dict.fromkeys(eps, PAGE) for vendor, eps in PER_CUSTOMER.items()}
    expected["tallymarks"][SEARCH] = 1
    return expected


async def test_cold_the_360_page_makes_one_call_per_distinct_resource(gw: Harness) -> None:
    body = await page_360(gw)

    assert "errors" not in body, body.get("errors")
    nodes = [e["node"] for e in body["data"]["customers"]["edges"]]
    assert len(nodes) == PAGE
    assert {v: gw.endpoints(v) for v in PER_CUSTOMER} == expected_cold()
    assert gw.calls() == PAGE * 7 + 1


async def test_the_360_page_carries_every_vendors_data(gw: Harness) -> None:
    body = await page_360(gw)

    nodes = [e["node"] for e in body["data"]["customers"]["edges"]]
    known = {c.customer_id: c for c in gw.acme.customers}
    for node in nodes:
        person = known[node["customerId"]]
        assert node["email"] == person.email
        assert node["pointsBalance"]["points"] == node["transactions"]["balance"]["points"]
        addresses = {c["address"] for c in node["supportProfile"]["channels"]}
        assert person.email in addresses
        assert node["coupons"] is not None
        assert node["promotionLoyalty"] is not None


async def test_warm_the_same_query_within_the_ttl_makes_no_call(gw: Harness) -> None:
    first = await page_360(gw)
    gw.reset_calls()

    second = await page_360(gw)

    assert second == first
    assert gw.calls() == 0


async def test_with_talon_down_only_the_promotion_fields_fail(gw: Harness) -> None:
    gw.fault("talon", down=True)

    body = await page_360(gw)

    nodes = [e["node"] for e in body["data"]["customers"]["edges"]]
    assert len(nodes) == PAGE
    for node in nodes:
        assert node["coupons"] is None
        assert node["referrals"] is None
        assert node["promotionLoyalty"] is None
        assert node["pointsBalance"] is not None
        assert node["events"]["edges"] is not None
        assert node["transactions"]["edges"] is not None
        assert node["supportProfile"]["channels"]
        assert node["timeline"] is not None
    failed_fields = {e["path"][-1] for e in body["errors"]}
    assert failed_fields == {"coupons", "referrals", "promotionLoyalty"}
    assert {e["extensions"]["vendor"] for e in body["errors"]} == {"talon"}
    assert {e["extensions"]["code"] for e in body["errors"]} == {"UPSTREAM_UNAVAILABLE"}


UPDATE = """
mutation($id: ID!, $key: String!) {
  updateCustomer(id: $id, input: {firstName: "Renamed"}, idempotencyKey: $key) {
    complete outcomes { vendor status }
  }
}
"""


async def test_after_updating_one_customer_only_its_changed_resources_are_fetched(
    gw: Harness,
) -> None:
    first = await page_360(gw)
    target = first["data"]["customers"]["edges"][7]["node"]["customerId"]
    updated = await gw.query(UPDATE, {"id": target, "key": "rename-7"})
    assert updated["data"]["updateCustomer"]["complete"] is True
    gw.reset_calls()

    body = await page_360(gw)

    nodes = {e["node"]["customerId"]: e["node"] for e in body["data"]["customers"]["edges"]}
    assert nodes[target]["firstName"] == "Renamed"
    assert {v: gw.endpoints(v) for v in PER_CUSTOMER} == {
        # the search page holds the renamed customer; everything else is that customer's
        "tallymarks": {SEARCH: 1},
        "omnidesk": {"POST /api/v2/customer/SearchByPrimaryExternalID": 1},
        "talon": {"GET /v1/customer_profiles/{integrationId}/inventory": 1},
    }

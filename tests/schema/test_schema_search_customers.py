"""Query.customers: keyword search as a Relay connection over Tallymarks' offsetKey."""

from __future__ import annotations

from typing import Any

from tests.schema.gateway_harness import Harness

SEARCH = "GET /api/v1/customers"
BALANCE = "GET /api/v1/customers/{customerId}/balance"
PROFILE = "GET /api/v1/customers/{customerId}"

NAMES = """
query($search: String, $first: Int!, $after: String) {
  customers(search: $search, first: $first, after: $after) {
    edges { cursor node { customerId firstName lastName displayName email createdAt } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}
"""


def ids(connection: Any) -> list[str]:
    return [e["node"]["customerId"] for e in connection["edges"]]


async def test_a_page_of_summary_fields_is_one_search_call(gw: Harness) -> None:
    body = await gw.query(NAMES, {"first": 20})

    assert "errors" not in body
    edges = body["data"]["customers"]["edges"]
    assert len(edges) == 20
    by_id = {p.customer_id: p for p in gw.acme.customers}
    for edge in edges:
        node = edge["node"]
        person = by_id[node["customerId"]]
        assert (node["firstName"], node["email"]) == (person.first_name, person.email)
        assert node["displayName"] == person.display_name
        assert node["createdAt"]
    assert gw.endpoints("tallymarks") == {SEARCH: 1}


async def test_asking_for_balances_adds_one_balance_call_per_customer(gw: Harness) -> None:
    body = await gw.query(
        """{ customers(first: 20) { edges { node {
             firstName email pointsBalance { points } again: pointsBalance { changedAt }
           } } } }"""
    )

    assert "errors" not in body
    assert all(e["node"]["pointsBalance"] for e in body["data"]["customers"]["edges"])
    assert gw.endpoints("tallymarks") == {SEARCH: 1, BALANCE: 20}


async def test_fields_a_summary_lacks_fetch_each_profile_once(gw: Harness) -> None:
    body = await gw.query(
        "{ customers(first: 5) { edges { node { firstName loyaltyProfile { mobileNumber } } } } }"
    )

    assert "errors" not in body
    assert gw.endpoints("tallymarks") == {SEARCH: 1, PROFILE: 5}


async def test_the_same_search_again_is_served_from_the_cache(gw: Harness) -> None:
    query = "{ customers(first: 20) { edges { node { firstName pointsBalance { points } } } } }"
    first = await gw.query(query)
    gw.reset_calls()

    second = await gw.query(query)

    assert first == second
    assert gw.calls("tallymarks") == 0


async def test_following_end_cursors_lists_every_customer_once(gw: Harness) -> None:
    seen: list[str] = []
    after = None
    while True:
        body = await gw.query(NAMES, {"first": 25, "after": after})
        connection = body["data"]["customers"]
        seen += ids(connection)
        assert connection["pageInfo"]["hasPreviousPage"] is (after is not None)
        if not connection["pageInfo"]["hasNextPage"]:
            break
        after = connection["pageInfo"]["endCursor"]

    assert sorted(seen) == sorted(p.customer_id for p in gw.acme.customers)
    assert gw.calls("tallymarks", SEARCH) == 3


async def test_the_search_text_narrows_the_results(gw: Harness) -> None:
    person = gw.acme.customers[7]
    expected = {
        p.customer_id
        for p in gw.acme.customers
        if person.last_name.lower() in f"{p.first_name} {p.last_name} {p.email}".lower()
    }

    body = await gw.query(NAMES, {"search": f"  {person.last_name.upper()} ", "first": 100})

    assert set(ids(body["data"]["customers"])) == expected


async def test_bad_paging_arguments_are_bad_user_input(gw: Harness) -> None:
    other_search = (await gw.query(NAMES, {"search": "a", "first": 2}))["data"]["customers"]
    gw.reset_calls()
    cases: list[tuple[dict[str, Any], str]] = [
        ({"first": 101}, "first"),
        ({"first": -1}, "first"),
        ({"first": 5, "after": "not a cursor"}, "after"),
        ({"first": 5, "after": other_search["pageInfo"]["endCursor"]}, "after"),
    ]

    for variables, argument in cases:
        body = await gw.query(NAMES, variables)

        assert body["data"] == {"customers": None}
        assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "argument": argument}
    assert gw.calls("tallymarks") == 0


async def test_another_tenant_never_sees_acme_customers(gw: Harness) -> None:
    acme_ids = {p.customer_id for p in gw.acme.customers}
    await gw.query(NAMES, {"first": 100})  # warm the cache as acme

    body = await gw.query(NAMES, {"first": 100}, key="key-globex")

    found = set(ids(body["data"]["customers"]))
    assert found == {p.customer_id for p in gw.globex.customers}
    assert not found & acme_ids


async def test_tallymarks_down_is_a_null_search_with_the_vendor_named(gw: Harness) -> None:
    gw.fault("tallymarks", down=True)

    body = await gw.query(NAMES, {"first": 5})

    assert body["data"] == {"customers": None}
    error = body["errors"][0]
    assert error["path"] == ["customers"]
    assert error["extensions"]["code"] == "UPSTREAM_UNAVAILABLE"
    assert error["extensions"]["vendor"] == "tallymarks"

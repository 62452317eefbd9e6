"""supportCustomers: the support desk's customer index as a connection with `totalCount`
(Omnidesk's `itemTotal`), one index call per page of up to 99."""

from __future__ import annotations

from typing import Any

from resolvers.offset_cursor import OffsetCursor, query_scope
from sandbox.demo_world import demo_world
from tests.schema.gateway_harness import Harness, harness

INDEX = "GET /api/v2/customer"

PAGE = """
query($first: Int!, $after: String) {
  supportCustomers(first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage endCursor }
    edges { cursor node { supportId primaryId brandName firstName lastName channels { address } } }
  }
}
"""

CREATE = """
mutation($input: CreateCustomerInput!, $key: String!) {
  createCustomer(input: $input, idempotencyKey: $key) { complete }
}
"""


#: offsets no cursor of supportCustomers carries
BAD_OFFSETS = ("-3", "1e3", "٣", "10000000000", "9" * 2000)


def _account(gw: Harness, tenant: Any) -> Any:
    return gw.sandboxes["omnidesk"].state.store.brand_owner(tenant.omnidesk_brand_id)


def _ids(connection: dict[str, Any]) -> list[int]:
    return [edge["node"]["supportId"] for edge in connection["edges"]]


async def _walk(gw: Harness, first: int, key: str | None = None) -> list[dict[str, Any]]:
    """Every page, following `endCursor` until `hasNextPage` is false."""
    pages, after = [], None
    while True:
        body = await gw.query(PAGE, {"first": first, "after": after}, key=key)
        assert "errors" not in body, body
        page = body["data"]["supportCustomers"]
        pages.append(page)
        if not page["pageInfo"]["hasNextPage"]:
            return pages
        after = page["pageInfo"]["endCursor"]


async def test_the_first_page_has_the_support_desks_total(gw: Harness) -> None:
    account = _account(gw, gw.acme)
    person = gw.acme.customers[0]

    body = await gw.query(PAGE, {"first": 25})

    page = body["data"]["supportCustomers"]
    assert page["totalCount"] == len(account.customers)
    assert page["totalCount"] > len(gw.acme.customers)  # the other brand is in the index too
    assert len(page["edges"]) == 25
    assert page["pageInfo"]["hasNextPage"] is True
    assert page["pageInfo"]["hasPreviousPage"] is False
    assert page["pageInfo"]["endCursor"] == page["edges"][-1]["cursor"]
    first = page["edges"][0]["node"]
    assert first["primaryId"] == person.customer_id
    assert (first["firstName"], first["brandName"]) == (person.first_name, gw.acme.name)
    assert person.email in [c["address"] for c in first["channels"]]
    assert gw.endpoints("omnidesk") == {INDEX: 1}


async def test_paging_to_the_end_reads_each_page_once(gw: Harness) -> None:
    account = _account(gw, gw.acme)

    pages = await _walk(gw, 30)

    assert [len(p["edges"]) for p in pages] == [30, 30, len(account.customers) - 60]
    assert {p["totalCount"] for p in pages} == {len(account.customers)}
    assert [i for p in pages for i in _ids(p)] == sorted(account.customers)
    assert pages[-1]["pageInfo"]["hasPreviousPage"] is True
    assert gw.endpoints("omnidesk") == {INDEX: 3}


async def test_a_cursor_inside_a_page_goes_on_from_that_customer(gw: Harness) -> None:
    first = (await gw.query(PAGE, {"first": 10}))["data"]["supportCustomers"]

    body = await gw.query(PAGE, {"first": 5, "after": first["edges"][3]["cursor"]})

    assert _ids(body["data"]["supportCustomers"]) == _ids(first)[4:9]


async def test_a_hundred_customers_take_two_index_calls_of_at_most_99() -> None:
    async with harness(world=demo_world(5, 2, 100)) as gw:
        account = _account(gw, gw.acme)

        pages = await _walk(gw, 100)

        assert [len(p["edges"]) for p in pages] == [100, len(account.customers) - 100]
        assert [i for p in pages for i in _ids(p)] == sorted(account.customers)
        # the sandbox refuses itemLimit > 99: the first page is read as 99 + 1
        assert gw.endpoints("omnidesk") == {INDEX: 3}


async def test_each_tenant_lists_its_own_support_account(gw: Harness) -> None:
    mine = await _walk(gw, 100)
    theirs = await _walk(gw, 100, key="key-globex")

    assert mine[0]["totalCount"] == len(_account(gw, gw.acme).customers)
    assert [i for p in theirs for i in _ids(p)] == sorted(_account(gw, gw.globex).customers)
    assert not set(_ids(mine[0])) & set(_ids(theirs[0]))


async def test_a_page_size_out_of_bounds_is_bad_input_before_any_call(gw: Harness) -> None:
    for first in (0, 101, -1):
        body = await gw.query(PAGE, {"first": first})

        assert body["data"] == {"supportCustomers": None}
        assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "argument": "first"}
    assert gw.calls("omnidesk") == 0


async def test_a_foreign_or_broken_cursor_is_bad_input_before_any_call(gw: Harness) -> None:
    search = await gw.query("{ customers(first: 2) { pageInfo { endCursor } } }")
    foreign = search["data"]["customers"]["pageInfo"]["endCursor"]
    gw.reset_calls()

    # well-formed cursors of this list whose offset is not a position in it
    forged = [OffsetCursor(o, 0, query_scope("supportIndex")).encode() for o in BAD_OFFSETS]
    for after in (foreign, "not-a-cursor", "e30", *forged):
        body = await gw.query(PAGE, {"first": 5, "after": after})

        assert body["data"] == {"supportCustomers": None}, after
        assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "argument": "after"}
    assert gw.calls("omnidesk") == 0


async def test_the_support_desk_down_is_null_with_upstream_unavailable(gw: Harness) -> None:
    gw.fault("omnidesk", down=True)

    body = await gw.query(PAGE, {"first": 5})

    assert body["data"] == {"supportCustomers": None}
    assert body["errors"][0]["path"] == ["supportCustomers"]
    assert body["errors"][0]["extensions"]["code"] == "UPSTREAM_UNAVAILABLE"


async def test_a_new_customer_drops_the_cached_pages(gw: Harness) -> None:
    before = (await gw.query(PAGE, {"first": 5}))["data"]["supportCustomers"]["totalCount"]
    await gw.query(PAGE, {"first": 5})
    assert gw.endpoints("omnidesk") == {INDEX: 1}  # the page is kept

    person = {
        "customerId": "0b8e5a4c-1d2e-4f60-8a7b-9c0d1e2f3a4b",
        "firstName": "Ada",
        "lastName": "Lovelace",
        "email": "ada.lovelace@example.org",
        "mobileNumber": "+31612345678",
    }
    created = await gw.query(CREATE, {"input": person, "key": "support-index-1"})
    assert created["data"]["createCustomer"]["complete"] is True

    after = (await gw.query(PAGE, {"first": 5}))["data"]["supportCustomers"]["totalCount"]
    assert after == before + 1
    assert gw.endpoints("omnidesk")[INDEX] == 2

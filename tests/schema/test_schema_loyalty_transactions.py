"""Customer.transactions: Relay paging over Tallymarks' offsetKey, filters, bad input."""

from __future__ import annotations

import base64
from typing import Any

from tests.schema.gateway_harness import Harness

TRANSACTIONS = "GET /api/v1/customers/transactions"

PAGE = """
query($id: ID!, $first: Int!, $after: String, $filter: TransactionFilter) {
  customer(id: $id) {
    transactions(first: $first, after: $after, filter: $filter) {
      edges { cursor node { transactionId amount createdAt nameSpace } }
      pageInfo { hasNextPage endCursor }
    }
  }
}
"""


def ledger(gw: Harness, customer_id: str) -> list[Any]:
    data = gw.sandboxes["tallymarks"].state.store.tenants[gw.acme.tallymarks_tenant_id.lower()]
    found: list[Any] = data.transactions_of(customer_id)
    return sorted(found, key=lambda t: (t.created_at, t.transaction_id), reverse=True)


def busiest(gw: Harness) -> str:
    return str(max((p.customer_id for p in gw.acme.customers), key=lambda c: len(ledger(gw, c))))


async def page(gw: Harness, cid: str, first: int, after: str | None = None, **filt: Any) -> Any:
    variables = {"id": cid, "first": first, "after": after, "filter": filt or None}
    body = await gw.query(PAGE, variables)
    assert "errors" not in body, body
    return body["data"]["customer"]["transactions"]


async def test_following_end_cursors_sees_every_transaction_once(gw: Harness) -> None:
    cid = busiest(gw)
    expected = [t.transaction_id for t in ledger(gw, cid)]
    assert len(expected) > 6

    seen: list[str] = []
    after = None
    for _ in range(len(expected)):
        connection = await page(gw, cid, 3, after)
        seen += [e["node"]["transactionId"] for e in connection["edges"]]
        if not connection["pageInfo"]["hasNextPage"]:
            break
        after = connection["pageInfo"]["endCursor"]

    assert seen == expected
    # each vendor page is read once: following endCursor continues at the vendor's offsetKey
    assert gw.calls("tallymarks", TRANSACTIONS) == -(-len(expected) // 3)


async def test_a_cursor_in_the_middle_of_a_page_resumes_right_after_its_edge(gw: Harness) -> None:
    cid = busiest(gw)
    expected = [t.transaction_id for t in ledger(gw, cid)]
    first = await page(gw, cid, 5)
    middle = first["edges"][1]["cursor"]

    rest = await page(gw, cid, 4, middle)

    assert [e["node"]["transactionId"] for e in rest["edges"]] == expected[2:6]


async def test_filters_pass_through_to_the_vendor(gw: Harness) -> None:
    cid = busiest(gw)
    everything = ledger(gw, cid)
    newest, oldest = everything[0].created_at, everything[-1].created_at
    middle = oldest + (newest - oldest) / 2

    by_time = await page(gw, cid, 100, **{"from": oldest.isoformat(), "to": middle.isoformat()})
    by_type = await page(gw, cid, 100, eventType="ORDER")
    by_keyword = await page(gw, cid, 100, keyword=" Order ")

    assert _ids(by_time) == {t.transaction_id for t in everything if t.created_at <= middle}
    assert _ids(by_type) == {t.transaction_id for t in everything if t.event_type == "order"}
    assert _ids(by_keyword) == {
        t.transaction_id
        for t in everything
        if any(
            "order" in (v or "").lower()
            for v in (t.name_space, t.description, t.external_reference)
        )
    }
    assert 0 < len(_ids(by_type)) < len(everything)
    assert 0 < len(_ids(by_time)) < len(everything)
    assert 0 < len(_ids(by_keyword)) < len(everything)


def _ids(connection: Any) -> set[str]:
    return {e["node"]["transactionId"] for e in connection["edges"]}


async def test_a_cursor_only_works_with_the_filter_it_came_from(gw: Harness) -> None:
    cid = busiest(gw)
    cursor = (await page(gw, cid, 2, eventType="ORDER"))["pageInfo"]["endCursor"]

    body = await gw.query(PAGE, {"id": cid, "first": 2, "after": cursor, "filter": None})

    assert body["data"]["customer"]["transactions"] is None
    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "argument": "after"}


async def test_first_over_100_and_garbage_cursors_are_bad_user_input(gw: Harness) -> None:
    cid = busiest(gw)
    garbage = base64.urlsafe_b64encode(b'{"not": "a cursor"}').decode()

    cases = [(101, None, "first"), (0, None, "first"), (5, "%%%", "after"), (5, garbage, "after")]
    for first, after, argument in cases:
        body = await gw.query(PAGE, {"id": cid, "first": first, "after": after})

        assert body["data"]["customer"]["transactions"] is None
        assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "argument": argument}
    assert gw.calls("tallymarks", TRANSACTIONS) == 0


async def test_an_inverted_time_range_is_bad_user_input(gw: Harness) -> None:
    body = await gw.query(
        PAGE,
        {
            "id": busiest(gw),
            "first": 5,
            "filter": {"from": "2026-01-02T00:00:00Z", "to": "2026-01-01T00:00:00Z"},
        },
    )

    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "argument": "filter"}

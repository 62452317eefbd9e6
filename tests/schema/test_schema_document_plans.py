"""What the limits and the look-ahead learn from a document alone (its shape, an operation's
cost, its id arguments, the reads a ``customer`` selection makes) is worked out once per
document and operation; what variables decide is still decided per request."""

from __future__ import annotations

import functools
import gc
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from graphql import parse

import gateway.limits.cost as cost_module
import gateway.limits.shape_limits as shape_module
import schema.customer_prefetch as prefetch_module
import schema.id_arguments_extension as id_module
from bench.scenarios import CUSTOMER_360, CUSTOMER_360_KINDS
from gateway.limits.document_memo import DocumentMemo
from gateway.settings import GatewaySettings
from tests.schema.gateway_harness import harness, patient_settings

PLANNERS = (
    (shape_module, "measure_document"),
    (cost_module, "cost_plan"),
    (id_module, "id_plan"),
    (prefetch_module, "plan_steps"),
)


def count_planners(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Counts every call of the functions that plan a document."""
    calls: Counter[str] = Counter()
    for module, name in PLANNERS:
        monkeypatch.setattr(module, name, _counted(calls, name, getattr(module, name)))
    return calls


def _counted(calls: Counter[str], name: str, plan: Callable[..., Any]) -> Callable[..., Any]:
    def counted(*args: Any, **kwargs: Any) -> Any:
        calls[name] += 1
        return plan(*args, **kwargs)

    return counted


async def test_a_document_sent_again_is_not_planned_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls = count_planners(monkeypatch)
    async with harness() as gw:
        for customer in gw.acme.customers[:3]:
            gw.reset_calls()
            body = await gw.query(CUSTOMER_360, {"id": customer.customer_id})

            assert "errors" not in body
            assert body["data"]["customer"]["customerId"] == customer.customer_id
        assert gw.calls() <= len(CUSTOMER_360_KINDS)

    assert calls == dict.fromkeys(("measure_document", "cost_plan", "id_plan", "plan_steps"), 1)


async def test_a_cost_that_variables_decide_is_priced_per_request(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls = count_planners(monkeypatch)
    query = "query($n: Int!) { customers(first: $n) { edges { node { email } } } }"
    async with harness(GatewaySettings(max_query_cost=30)) as gw:
        refused = await gw.query(query, {"n": 30})
        ran = await gw.query(query, {"n": 29})
        refused_again = await gw.query(query, {"n": 40})

    assert refused["errors"][0]["extensions"]["cost"] == 31
    assert len(ran["data"]["customers"]["edges"]) == 29
    assert refused_again["errors"][0]["extensions"]["cost"] == 41
    assert calls["cost_plan"] == 1


async def test_a_skip_decided_by_a_variable_is_priced_per_request() -> None:
    query = """query($cheap: Boolean!) { customers(first: 50) @skip(if: $cheap) {
      edges { node { email } } } }"""
    async with harness(GatewaySettings(max_query_cost=30)) as gw:
        refused = await gw.query(query, {"cheap": False})
        ran = await gw.query(query, {"cheap": True})

    assert refused["errors"][0]["extensions"]["code"] == "QUERY_TOO_COSTLY"
    assert ran == {"data": {}}


async def test_each_operation_of_a_document_has_its_own_plan() -> None:
    document = """
      query Cheap { customers(first: 2) { edges { node { email } } } }
      query Costly { customers(first: 50) { edges { node { email } } } }"""
    async with harness(GatewaySettings(max_query_cost=30)) as gw:
        for _ in range(2):
            cheap = await gw.client.post(
                "/graphql",
                json={"query": document, "operationName": "Cheap"},
                headers={"x-api-key": gw.key},
            )
            costly = await gw.client.post(
                "/graphql",
                json={"query": document, "operationName": "Costly"},
                headers={"x-api-key": gw.key},
            )

            assert len(cheap.json()["data"]["customers"]["edges"]) == 2
            assert costly.json()["errors"][0]["extensions"]["code"] == "QUERY_TOO_COSTLY"


async def test_variables_that_do_not_coerce_are_reported_before_a_fixed_cost() -> None:
    # priced without variables (53 > 30), but a missing $id is what the client must hear
    query = """query($id: ID!) { customer(id: $id) { email }
      customers(first: 50) { edges { node { email } } } }"""
    async with harness(patient_settings(max_query_cost=30)) as gw:
        missing = await gw.query(query, {})
        given = await gw.query(query, {"id": gw.acme.customers[0].customer_id})

    assert missing["errors"][0]["extensions"]["code"] != "QUERY_TOO_COSTLY"
    assert "$id" in missing["errors"][0]["message"]
    assert given["errors"][0]["extensions"]["code"] == "QUERY_TOO_COSTLY"


async def test_a_malformed_id_in_a_variable_is_refused_each_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls = count_planners(monkeypatch)
    query = "query($id: ID!) { customer(id: $id) { email } }"
    async with harness() as gw:
        good = await gw.query(query, {"id": gw.acme.customers[0].customer_id})
        bad = await gw.query(query, {"id": ".."})

    assert good["data"]["customer"]["email"] == gw.acme.customers[0].email
    assert bad["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "argument": "id"}
    assert calls["id_plan"] == 1


def test_the_memo_computes_once_per_node_and_key() -> None:
    memo: DocumentMemo[str] = DocumentMemo()
    document = parse("{ a }")

    assert memo.value(document, "A", lambda: "first") == "first"
    assert memo.value(document, "A", lambda: "again") == "first"
    assert memo.value(document, "B", lambda: "other") == "other"
    assert memo.computed == 2


def test_an_entry_goes_with_its_document() -> None:
    memo: DocumentMemo[int] = DocumentMemo()
    document = parse("{ a }")
    memo.value(document, None, lambda: 1)
    assert len(memo) == 1

    del document
    gc.collect()

    assert len(memo) == 0


def test_the_memo_keeps_at_most_its_entries() -> None:
    memo: DocumentMemo[int] = DocumentMemo(max_entries=2)
    documents = [parse("{ a }") for _ in range(3)]
    for i, document in enumerate(documents):
        memo.value(document, None, functools.partial(int, i))

    assert len(memo) == 2
    assert memo.value(documents[0], None, lambda: 9) == 9  # the oldest was dropped
    assert memo.value(documents[2], None, lambda: 9) == 2

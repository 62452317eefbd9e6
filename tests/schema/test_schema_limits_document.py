"""Depth, aliases, tokens and introspection: each refused at validation, before any
upstream call, with its own code."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from gateway.settings import GatewaySettings
from tests.schema.gateway_harness import Harness, harness

# customer > transactions > edges > node > amount: 4 levels below the root field
FOUR_DEEP = "query($id: ID!) { customer(id: $id) { transactions { edges { node { amount } } } } }"


@pytest.fixture
async def strict() -> AsyncIterator[Harness]:
    settings = GatewaySettings(max_query_depth=3, max_aliases=2, max_tokens=60, introspection=False)
    async with harness(settings) as h:
        yield h


def code(body: dict[str, object]) -> object:
    errors = body["errors"]
    assert isinstance(errors, list)
    return errors[0]["extensions"]["code"]


async def test_an_operation_deeper_than_the_limit_is_refused(strict: Harness) -> None:
    body = await strict.query(FOUR_DEEP, {"id": strict.acme.customers[0].customer_id})

    assert "data" not in body or body["data"] is None
    assert body["errors"][0]["extensions"] == {"code": "QUERY_TOO_DEEP", "maxDepth": 3}
    assert "exceeds maximum operation depth of 3" in body["errors"][0]["message"]
    assert strict.calls() == 0


async def test_depth_counts_through_fragments(strict: Harness) -> None:
    query = """query($id: ID!) { customer(id: $id) { ...T } }
    fragment T on Customer { transactions { edges { node { amount } } } }"""

    body = await strict.query(query, {"id": strict.acme.customers[0].customer_id})

    assert code(body) == "QUERY_TOO_DEEP"
    assert strict.calls() == 0


async def test_an_operation_within_the_depth_runs(strict: Harness) -> None:
    query = "query($id: ID!) { customer(id: $id) { transactions { edges { cursor } } } }"

    body = await strict.query(query, {"id": strict.acme.customers[0].customer_id})

    assert "errors" not in body
    assert body["data"]["customer"]["transactions"]["edges"]


async def test_more_aliases_than_the_limit_are_refused(strict: Harness) -> None:
    ids = [p.customer_id for p in strict.acme.customers[:3]]
    query = " ".join(f'c{i}: customer(id: "{cid}") {{ email }}' for i, cid in enumerate(ids))

    body = await strict.query(f"{{ {query} }}")

    assert body["errors"][0]["extensions"] == {"code": "TOO_MANY_ALIASES", "maxAliases": 2}
    assert strict.calls() == 0


async def test_a_document_with_too_many_tokens_is_refused_before_parsing(strict: Harness) -> None:
    query = "{ " + " ".join(["__typename"] * 61) + " }"

    body = await strict.query(query)

    assert body["errors"][0]["extensions"] == {"code": "TOO_MANY_TOKENS", "maxTokens": 60}
    assert strict.calls() == 0


async def test_a_long_document_within_the_token_limit_runs(strict: Harness) -> None:
    # 57 tokens, but far more characters than the limit: comments and names are free
    query = "# " + "x" * 500 + "\n{ " + " ".join(["__typename"] * 55) + " }"

    body = await strict.query(query)

    assert body == {"data": {"__typename": "Query"}}


async def test_introspection_can_be_switched_off(strict: Harness) -> None:
    body = await strict.query("{ __schema { queryType { name } } }")

    assert code(body) == "INTROSPECTION_DISABLED"
    assert (await strict.query("{ __typename }")) == {"data": {"__typename": "Query"}}


async def test_introspection_is_on_by_default(gw: Harness) -> None:
    body = await gw.query("{ __schema { queryType { name } } }")

    assert body == {"data": {"__schema": {"queryType": {"name": "Query"}}}}


async def test_graphiqls_introspection_query_passes_the_default_limits(gw: Harness) -> None:
    from graphql import get_introspection_query

    body = await gw.query(get_introspection_query(descriptions=True))

    assert "errors" not in body
    assert body["data"]["__schema"]["types"]


async def test_field_suggestions_are_on_by_default(gw: Harness) -> None:
    body = await gw.query("{ custome(id: 1) { email } }")

    assert "Did you mean 'customer'" in body["errors"][0]["message"]


async def test_field_suggestions_can_be_switched_off() -> None:
    async with harness(GatewaySettings(field_suggestions=False)) as gw:
        field = await gw.query("{ custome(id: 1) { email } }")
        enum = await gw.query(
            "query($s: [SegmentSource!]) { customer(id: 1) { segments(sources: $s) { id } } }",
            {"s": ["LOYALT"]},
        )

    assert field["errors"][0]["message"] == "Cannot query field 'custome' on type 'Query'."
    assert "Did you mean" not in enum["errors"][0]["message"]
    assert "LOYALTY" not in enum["errors"][0]["message"]


def test_the_limits_are_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from gateway.limits import QueryLimits

    for name, value in {
        "CG_INTROSPECTION": "false",
        "CG_FIELD_SUGGESTIONS": "false",
        "CG_MAX_QUERY_DEPTH": "8",
        "CG_MAX_QUERY_COST": "900",
        "CG_EXECUTION_TIMEOUT": "5",
    }.items():
        monkeypatch.setenv(name, value)

    limits = QueryLimits.from_settings(GatewaySettings())

    assert (limits.introspection, limits.field_suggestions) == (False, False)
    assert (limits.max_query_depth, limits.max_query_cost, limits.execution_timeout) == (
        8,
        900,
        5.0,
    )

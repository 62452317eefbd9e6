"""Cost: estimated upstream calls, from the validated document and its variables; a too
costly operation is refused before any upstream call with its cost in the error."""

from __future__ import annotations

from typing import Any

from graphql import FragmentDefinitionNode, OperationDefinitionNode, parse
from graphql.execution.values import VariableValues, get_variable_values

from gateway.limits.cost import operation_cost
from gateway.limits.cost_table import FIELD_COSTS
from gateway.settings import GatewaySettings
from schema import build_schema
from tests.schema.gateway_harness import Harness, harness

SCHEMA = build_schema()._schema


def cost(query: str, variables: dict[str, Any] | None = None, *, list_size: int = 20) -> int:
    document = parse(query)
    operation = next(d for d in document.definitions if isinstance(d, OperationDefinitionNode))
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    coerced = get_variable_values(SCHEMA, operation.variable_definitions or (), variables or {})
    assert isinstance(coerced, VariableValues)
    return operation_cost(SCHEMA, fragments, operation, coerced, default_list_size=list_size)


def test_fields_served_by_one_read_share_its_cost() -> None:
    # customer 1 + profile (email, firstName) 1 + balance 1 + inventory (coupons,
    # audiences) 1 + transactions 1; the transactions' items cost nothing more
    query = """{ customer(id: 1) { email firstName pointsBalance { points }
      coupons { value } audiences { id }
      transactions(first: 10) { edges { node { amount } } } } }"""

    assert cost(query) == 5


def test_a_connection_multiplies_its_items_by_first() -> None:
    query = """query($n: Int!) { customers(first: $n) {
      pageInfo { hasNextPage } edges { node { email pointsBalance { points } } } } }"""

    assert cost(query, {"n": 50}) == 1 + 50 * 2
    assert cost("{ customers { edges { node { email } } } }") == 1 + 20  # first's default


def test_a_page_above_the_limit_counts_as_the_limit() -> None:
    assert cost("{ customers(first: 500) { edges { node { email } } } }") == 1 + 100


def test_a_list_without_first_counts_the_default_list_size() -> None:
    query = "{ customer(id: 1) { coupons { reservedBy { customerId } } } }"

    assert cost(query) == 1 + 1 + 20 * 1
    assert cost(query, list_size=5) == 1 + 1 + 5 * 1


def test_fragments_on_interfaces_count_their_fields() -> None:
    query = """{ node(id: 1) { ...C } } fragment C on Customer { email }"""

    assert cost(query) == 2


def test_skipped_fields_cost_nothing() -> None:
    query = """query($more: Boolean!) { customer(id: 1) {
      email pointsBalance @include(if: $more) { points } } }"""

    assert cost(query, {"more": False}) == 2
    assert cost(query, {"more": True}) == 3


def test_a_write_to_every_vendor_costs_a_call_per_vendor() -> None:
    query = 'mutation { createCustomer(input: {}, idempotencyKey: "k") { __typename } }'

    assert cost(query) == 3


def test_every_priced_field_exists() -> None:
    for key in FIELD_COSTS:
        type_name, field = key.split(".")
        found: Any = SCHEMA.get_type(type_name)
        assert found is not None, key
        assert field in found.fields, key


ALIASED_WALLETS = """{ customers(first: 100) { edges { node {
  a: coupons { reservedBy { customerId } }
  b: coupons { reservedBy { customerId } }
  c: coupons { reservedBy { customerId } } } } } }"""


async def test_a_too_costly_operation_is_refused_before_any_call(gw: Harness) -> None:
    body = await gw.query(ALIASED_WALLETS)

    assert body.get("data") is None
    error = body["errors"][0]
    assert error["extensions"] == {"code": "QUERY_TOO_COSTLY", "cost": 6101, "maxCost": 5000}
    assert "6101" in error["message"]
    assert gw.calls() == 0


async def test_the_limit_is_a_setting_and_cost_counts_variables() -> None:
    query = "query($n: Int!) { customers(first: $n) { edges { node { email } } } }"
    async with harness(GatewaySettings(max_query_cost=30)) as gw:
        refused = await gw.query(query, {"n": 30})
        ran = await gw.query(query, {"n": 29})

        assert refused["errors"][0]["extensions"]["cost"] == 31
        assert len(ran["data"]["customers"]["edges"]) == 29
        assert "errors" not in ran


async def test_a_realistic_customer_360_is_well_within_the_default(gw: Harness) -> None:
    customer_id = gw.acme.customers[0].customer_id
    query = """query($id: ID!) { customer(id: $id) { email displayName
      pointsBalance { points } loyaltySegments { id } supportProfile { supportId }
      coupons { value } referrals { code } giveaways { code } audiences { id }
      transactions(first: 100) { edges { node { amount } } }
      activity(first: 100) { edges { cursor } } } }"""

    body = await gw.query(query, {"id": customer_id})

    assert "errors" not in body
    assert body["data"]["customer"]["email"]


async def test_page_size_stays_a_bad_user_input_on_its_field(gw: Harness) -> None:
    body = await gw.query("{ customers(first: 101) { edges { cursor } } }")

    assert body["data"] == {"customers": None}
    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "argument": "first"}
    assert body["errors"][0]["message"] == "`first` must be between 1 and 100."
    assert gw.calls() == 0

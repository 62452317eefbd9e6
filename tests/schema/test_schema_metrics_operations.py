"""``/metrics``: operations by name, errors by code, refusals by reason, HTTP requests."""

from __future__ import annotations

import hashlib

from gateway.observability.metrics import OperationNames
from gateway.settings import GatewaySettings
from tests.gateway.observed import CUSTOMER_CARD, observed

DEEP = "{ customers(first: 1) { edges { node { supportProfile { brand { name } } } } } }"


async def test_metrics_are_served_in_the_prometheus_text_format() -> None:
    async with observed() as seen:
        await seen.gw.query("{ __typename }")

        response = await seen.gw.client.get("/metrics")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=")
    assert "# TYPE cg_graphql_operation_duration_seconds histogram" in response.text
    assert "# TYPE cg_upstream_requests_total counter" in response.text


async def test_operation_latency_is_a_histogram_per_operation_name() -> None:
    async with observed() as seen:
        for customer in seen.gw.acme.customers[:2]:
            await seen.gw.query(CUSTOMER_CARD, {"id": customer.customer_id})
        await seen.gw.query("{ __typename }")

        card = {"operation": "CustomerCard", "operation_type": "query"}
        anonymous = {"operation": "anonymous", "operation_type": "query"}
        assert seen.metric("cg_graphql_operation_duration_seconds_count", **card) == 2
        assert seen.metric("cg_graphql_operation_duration_seconds_sum", **card) > 0
        assert seen.metric("cg_graphql_operation_duration_seconds_count", **anonymous) == 1
        assert seen.metric("cg_http_requests_total", route="/graphql", method="POST", status="200")


async def test_operation_names_beyond_the_cap_count_as_other() -> None:
    settings = GatewaySettings(_env_file=None, metrics_max_operation_names=2)
    async with observed(settings) as seen:
        for name in ("A", "B", "C", "D", "A"):
            await seen.gw.query(f"query {name} {{ __typename }}")

        def count(name: str) -> float:
            return seen.metric(
                "cg_graphql_operation_duration_seconds_count",
                operation=name,
                operation_type="query",
            )

        assert [count(n) for n in ("A", "B", "C", "other")] == [2, 1, 0, 2]


def test_an_operation_name_is_a_label_only_when_it_is_a_graphql_name() -> None:
    names = OperationNames(limit=10)

    assert names.label(None) == "anonymous"
    assert names.label("x" * 101) == "invalid"
    assert names.label('a"b') == "invalid"
    assert names.label("Get_Customer2") == "Get_Customer2"


async def test_refused_operations_are_counted_by_reason_before_any_upstream_call() -> None:
    settings = GatewaySettings(_env_file=None, max_query_depth=3, max_body_bytes=2000)
    async with observed(settings) as seen:
        await seen.gw.query(DEEP)
        await seen.gw.query("{ customer(id: ")
        await seen.gw.query("{ noSuchField }")
        await seen.gw.client.post("/graphql", json={"query": "{ __typename }"})
        await seen.gw.query("{ __typename }", {"padding": "x" * 3000})

        def refused(reason: str) -> float:
            return seen.metric("cg_graphql_rejected_operations_total", reason=reason)

        assert refused("QUERY_TOO_DEEP") == 1
        assert refused("GRAPHQL_PARSE_FAILED") == 1
        assert refused("GRAPHQL_VALIDATION_FAILED") == 1
        assert refused("UNAUTHENTICATED") == 1
        assert refused("REQUEST_TOO_LARGE") == 1
        assert seen.gw.calls() == 0


async def test_a_limit_enforced_while_parsing_is_counted_too() -> None:
    async with observed(GatewaySettings(_env_file=None, max_tokens=20)) as seen:
        body = await seen.gw.query("{ " + "__typename " * 30 + "}")

        assert body["errors"][0]["extensions"]["code"] == "TOO_MANY_TOKENS"
        assert seen.metric("cg_graphql_rejected_operations_total", reason="TOO_MANY_TOKENS") == 1


async def test_errors_in_responses_are_counted_by_code() -> None:
    async with observed() as seen:
        seen.gw.fault("omnidesk", down=True)

        await seen.gw.query(CUSTOMER_CARD, {"id": seen.gw.acme.customers[0].customer_id})

        assert seen.metric("cg_graphql_errors_total", code="UPSTREAM_UNAVAILABLE") == 1
        assert (
            seen.metric("cg_graphql_rejected_operations_total", reason="UPSTREAM_UNAVAILABLE") == 0
        )


async def test_metrics_can_be_switched_off() -> None:
    async with observed(GatewaySettings(_env_file=None, metrics_enabled=False)) as seen:
        response = await seen.gw.client.get("/metrics")

    assert response.status_code == 404


async def test_persisted_operations_are_counted_by_outcome() -> None:
    text = "query PersistedProbe { __typename }"
    digest = hashlib.sha256(text.encode()).hexdigest()
    apq = {"persistedQuery": {"version": 1, "sha256Hash": digest}}
    wrong = {"persistedQuery": {"version": 1, "sha256Hash": "0" * 64}}
    async with observed() as seen:
        client, headers = seen.gw.client, {"x-api-key": seen.gw.key}
        miss = await client.post("/graphql", json={"extensions": apq}, headers=headers)
        await client.post("/graphql", json={"query": text, "extensions": apq}, headers=headers)
        hit = await client.post("/graphql", json={"extensions": apq}, headers=headers)
        await client.post("/graphql", json={"query": text, "extensions": wrong}, headers=headers)
        await seen.gw.query("{ __typename }")  # names no persisted operation: not counted

        def counted(outcome: str) -> float:
            return seen.metric("cg_persisted_operations_total", outcome=outcome)

        assert miss.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
        assert hit.json() == {"data": {"__typename": "Query"}}
        assert [counted(o) for o in ("miss", "registered", "hit", "refused")] == [1, 1, 1, 1]

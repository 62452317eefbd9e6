"""Traces: operation → dataloader batches → upstream calls, never a span per field."""

from __future__ import annotations

from typing import Any

from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.trace import SpanKind, StatusCode

from gateway.settings import GatewaySettings
from tests.gateway.observed import CUSTOMER_CARD, observed

PAGE = """
query Page { customers(first: 20) { edges { node {
  customerId firstName lastName email supportProfile { channels { type address } }
} } } }
"""


def attrs(span: ReadableSpan) -> dict[str, Any]:
    return dict(span.attributes or {})


def span_id(span: ReadableSpan | None) -> int | None:
    return span.context.span_id if span is not None and span.context is not None else None


def parent_id(span: ReadableSpan) -> int | None:
    return span.parent.span_id if span.parent is not None else None


async def test_a_customer_query_traces_operation_then_batches_then_upstream_calls() -> None:
    async with observed() as seen:
        await seen.gw.query(CUSTOMER_CARD, {"id": seen.gw.acme.customers[0].customer_id})

        spans = seen.finished_spans()

    [operation] = [s for s in spans if s.parent is None]
    batches = [s for s in spans if s.name.startswith("dataloader ")]
    upstream = [s for s in spans if s.kind is SpanKind.CLIENT]
    assert (operation.name, operation.kind) == ("query CustomerCard", SpanKind.SERVER)
    assert attrs(operation) == {
        "graphql.operation.name": "CustomerCard",
        "graphql.operation.type": "query",
    }
    assert len(spans) == 1 + len(batches) + len(upstream)  # nothing per field
    assert len({s.context.trace_id for s in spans if s.context is not None}) == 1
    batch_ids = {span_id(b) for b in batches}
    assert all(parent_id(b) in {span_id(operation), *batch_ids} for b in batches)
    assert all(attrs(b)["cg.batch_size"] == 1 for b in batches)
    assert all(parent_id(call) in batch_ids for call in upstream)
    assert {
        (a["cg.vendor"], a["cg.endpoint"], a["http.response.status_code"])
        for a in map(attrs, upstream)
    } == {
        ("tallymarks", "GET /api/v1/customers/{customerId}", 200),
        ("omnidesk", "POST /api/v2/customer/SearchByPrimaryExternalID", 200),
        ("talon", "GET /v1/customer_profiles/{integrationId}/inventory", 200),
    }


async def test_a_list_of_twenty_customers_adds_no_span_per_field_or_item() -> None:
    async with observed() as seen:
        await seen.gw.query(PAGE)

        spans = seen.finished_spans()
        calls = seen.gw.calls()

    upstream = [s for s in spans if s.kind is SpanKind.CLIENT]
    others = [s for s in spans if s.kind is not SpanKind.CLIENT]
    assert len(upstream) == calls == 21  # one search, twenty support profiles
    assert [s.name for s in others if not s.name.startswith("dataloader ")] == ["query Page"]
    assert len(others) <= 4  # the operation and a few batches, whatever the page holds
    assert not any("firstName" in s.name or "email" in s.name for s in spans)


async def test_a_failed_upstream_call_is_an_error_span_with_its_status() -> None:
    async with observed() as seen:
        seen.gw.fault("talon", error_rate=1.0, error_status=503)
        await seen.gw.query(CUSTOMER_CARD, {"id": seen.gw.acme.customers[0].customer_id})

        failed = [s for s in seen.finished_spans() if s.name.startswith("talon ")]

    assert failed
    assert all(s.status.status_code is StatusCode.ERROR for s in failed)
    assert all(attrs(s)["http.response.status_code"] == 503 for s in failed)
    assert all(attrs(s)["error.type"] == "503" for s in failed)


async def test_an_unreachable_vendor_is_an_error_span_without_a_status_code() -> None:
    async with observed() as seen:
        seen.gw.fault("omnidesk", down=True)
        await seen.gw.query(CUSTOMER_CARD, {"id": seen.gw.acme.customers[0].customer_id})

        failed = [s for s in seen.finished_spans() if s.name.startswith("omnidesk ")]

    assert failed
    assert all(attrs(s)["error.type"] == "unreachable" for s in failed)
    assert all("http.response.status_code" not in attrs(s) for s in failed)


async def test_an_anonymous_operation_is_named_by_its_type() -> None:
    async with observed() as seen:
        await seen.gw.query("{ __typename }")

        names = [s.name for s in seen.finished_spans()]

    assert names == ["query anonymous"]


async def test_tracing_is_off_by_default() -> None:
    async with observed(GatewaySettings(_env_file=None)) as seen:
        await seen.gw.query(CUSTOMER_CARD, {"id": seen.gw.acme.customers[0].customer_id})

        assert seen.telemetry.tracing.provider is None
        assert not seen.telemetry.tracing.enabled
        assert seen.finished_spans() == []

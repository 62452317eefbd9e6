"""W3C trace context: a trusted caller's ``traceparent`` is continued on every vendor call and
named in the access log; an untrusted one starts a new trace; the console exporter prints
one JSON line per span."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from opentelemetry import context as otel_context
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from gateway.observability.trace_context import TraceIdFilter, incoming_trace
from gateway.settings import GatewaySettings
from tests.gateway.observed import CUSTOMER_CARD, Observed, access_lines, observed
from tests.schema.gateway_harness import VENDORS

CALLER_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
CALLER_SPAN = "00f067aa0ba902b7"
TRACEPARENT = f"00-{CALLER_TRACE}-{CALLER_SPAN}-01"
_TRACEPARENT = re.compile(r"00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}")


class _RecordTraceHeaders:
    """What trace headers each sandbox request carried: (vendor, traceparent, tracestate)."""

    def __init__(self, app: ASGIApp, vendor: str, into: list[tuple[str, str, str]]) -> None:
        self.app, self.vendor, self.into = app, vendor, into

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            headers = Headers(scope=scope)
            self.into.append(
                (self.vendor, headers.get("traceparent", ""), headers.get("tracestate", ""))
            )
        await self.app(scope, receive, send)


@asynccontextmanager
async def traced(**settings: object) -> AsyncIterator[tuple[Observed, list[tuple[str, str, str]]]]:
    received: list[tuple[str, str, str]] = []
    config = GatewaySettings(_env_file=None, otlp_endpoint=None, **settings)  # type: ignore[arg-type]
    async with observed(config) as seen:
        for vendor in VENDORS:
            seen.gw.sandboxes[vendor].add_middleware(
                _RecordTraceHeaders, vendor=vendor, into=received
            )
        yield seen, received


async def card(seen: Observed, customer: int = 0, **headers: str) -> None:
    seen.gw.extra_headers.update(headers)
    customer_id = seen.gw.acme.customers[customer].customer_id
    answer = await seen.gw.query(CUSTOMER_CARD, {"id": customer_id})
    assert "errors" not in answer, answer


def parsed(traceparent: str) -> tuple[str, str]:
    match = _TRACEPARENT.fullmatch(traceparent)
    assert match is not None, traceparent
    return match[1], match[2]


async def test_a_trusted_traceparent_reaches_every_vendor_call_and_the_access_log(
    capsys: pytest.CaptureFixture[str],
) -> None:
    async with traced(tracing_enabled=True, tracing_trust_incoming=True) as (seen, received):
        capsys.readouterr()
        await card(seen, traceparent=TRACEPARENT, tracestate="vendor=opaque")
        spans = seen.finished_spans()

    assert {vendor for vendor, _, _ in received} == set(VENDORS)
    ids = [parsed(traceparent) for _, traceparent, _ in received]
    assert {trace for trace, _ in ids} == {CALLER_TRACE}
    # each vendor call is a child of its own upstream span, never of the caller's span
    upstream = {f"{s.context.span_id:016x}" for s in spans if s.name.split()[0] in VENDORS}
    assert {span for _, span in ids} <= upstream
    assert CALLER_SPAN not in {span for _, span in ids}
    assert {state for _, _, state in received} == {"vendor=opaque"}
    [operation] = [s for s in spans if s.name == "query CustomerCard"]
    assert operation.parent is not None
    assert f"{operation.parent.span_id:016x}" == CALLER_SPAN
    [line] = [a for a in access_lines(capsys) if a["path"] == "/graphql"]
    assert line["trace_id"] == CALLER_TRACE


async def test_an_untrusted_traceparent_starts_a_new_trace(
    capsys: pytest.CaptureFixture[str],
) -> None:
    async with traced(tracing_enabled=True) as (seen, received):
        capsys.readouterr()
        await card(seen, traceparent=TRACEPARENT, tracestate="vendor=opaque")
        spans = seen.finished_spans()

    traces = {parsed(traceparent)[0] for _, traceparent, _ in received}
    assert len(received) >= len(VENDORS)
    assert len(traces) == 1
    assert CALLER_TRACE not in traces
    assert {state for _, _, state in received} == {""}  # the caller's state is not passed on
    [operation] = [s for s in spans if s.name == "query CustomerCard"]
    assert operation.parent is None
    [line] = [a for a in access_lines(capsys) if a["path"] == "/graphql"]
    assert line["trace_id"] == traces.pop() == f"{operation.context.trace_id:032x}"


async def test_a_malformed_traceparent_is_a_new_trace_even_when_trusted() -> None:
    async with traced(tracing_enabled=True, tracing_trust_incoming=True) as (seen, received):
        await card(seen, traceparent=f"00-{'0' * 32}-{CALLER_SPAN}-01")

    traces = {parsed(traceparent)[0] for _, traceparent, _ in received}
    assert len(traces) == 1
    assert "0" * 32 not in traces


async def test_with_tracing_off_a_trusted_context_is_passed_on_unchanged(
    capsys: pytest.CaptureFixture[str],
) -> None:
    async with traced(tracing_trust_incoming=True) as (seen, received):
        capsys.readouterr()
        await card(seen, traceparent=TRACEPARENT)
        await card(seen, 1, traceparent="")

    assert [t for _, t, _ in received if t] == [TRACEPARENT] * len(VENDORS)
    assert len(received) == 2 * len(VENDORS)  # the second query sent no trace at all
    lines = [a for a in access_lines(capsys) if a["path"] == "/graphql"]
    assert [a["trace_id"] for a in lines] == [CALLER_TRACE, None]


async def test_the_console_exporter_prints_one_json_line_per_span(
    capsys: pytest.CaptureFixture[str],
) -> None:
    async with traced(tracing_enabled=True, tracing_exporter="console") as (seen, _):
        capsys.readouterr()
        await card(seen)
        spans = seen.finished_spans()

    printed = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert sorted(p["name"] for p in printed) == sorted(s.name for s in spans)
    assert "query CustomerCard" in {p["name"] for p in printed}
    assert {p["context"]["trace_id"] for p in printed} == {f"0x{spans[0].context.trace_id:032x}"}


def test_records_logged_inside_a_trace_carry_its_id() -> None:
    stamp = TraceIdFilter()
    inside = logging.makeLogRecord({"msg": "inside"})
    outside = logging.makeLogRecord({"msg": "outside"})
    caller = incoming_trace({"traceparent": TRACEPARENT})
    assert caller is not None

    token = otel_context.attach(caller)
    try:
        stamp.filter(inside)
    finally:
        otel_context.detach(token)
    stamp.filter(outside)

    assert getattr(inside, "trace_id", None) == CALLER_TRACE
    assert not hasattr(outside, "trace_id")

"""The gateway harness with observability in view: the spans it emits (in memory), the
request ids the sandboxes received, its log lines, and its metrics by name."""

from __future__ import annotations

import json
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from prometheus_client import generate_latest
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Receive, Scope, Send

from gateway.observability import Telemetry
from gateway.settings import GatewaySettings
from tests.schema.gateway_harness import VENDORS, Harness, harness

#: Tallymarks profile, Omnidesk support profile and Talon.One loyalty: all three vendors
CUSTOMER_CARD = """
query CustomerCard($id: ID!) {
  customer(id: $id) {
    firstName
    email
    supportProfile { channels { type } }
    promotionProfile { closedSessions }
  }
}
"""


@dataclass(frozen=True)
class Received:
    """One request a sandbox received: which vendor, the path, its ``X-Request-Id`` and
    which headers it had."""

    vendor: str
    path: str
    request_id: str | None
    header_names: frozenset[str]


class _RecordRequestIds:
    def __init__(self, app: ASGIApp, vendor: str, into: list[Received]) -> None:
        self.app, self.vendor, self.into = app, vendor, into

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            headers = Headers(scope=scope)
            names = frozenset(headers.keys())
            self.into.append(
                Received(self.vendor, scope["path"], headers.get("x-request-id"), names)
            )
        await self.app(scope, receive, send)


@dataclass
class Observed:
    gw: Harness
    spans: InMemorySpanExporter
    received: list[Received] = field(default_factory=list)

    @property
    def telemetry(self) -> Telemetry:
        telemetry: Telemetry = self.gw.gateway.state.telemetry
        return telemetry

    def metric(self, name: str, **labels: str) -> float:
        value = self.telemetry.metrics.registry.get_sample_value(name, labels)
        return 0.0 if value is None else value

    def exposition(self) -> str:
        return generate_latest(self.telemetry.metrics.registry).decode()

    def finished_spans(self) -> list[ReadableSpan]:
        return list(self.spans.get_finished_spans())


@asynccontextmanager
async def observed(settings: GatewaySettings | None = None) -> AsyncIterator[Observed]:
    """The harness with tracing on (spans kept in memory, none exported) unless
    ``settings`` say otherwise."""
    settings = settings or GatewaySettings(_env_file=None, tracing_enabled=True, otlp_endpoint=None)
    async with harness(settings) as gw:
        spans = InMemorySpanExporter()
        provider = gw.gateway.state.telemetry.tracing.provider
        if provider is not None:
            provider.add_span_processor(SimpleSpanProcessor(spans))
        seen = Observed(gw, spans)
        for vendor in VENDORS:
            gw.sandboxes[vendor].add_middleware(
                _RecordRequestIds, vendor=vendor, into=seen.received
            )
        yield seen


def log_lines(capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    """The JSON lines the gateway wrote to stderr since the last call."""
    lines = capsys.readouterr().err.splitlines()
    return [json.loads(line) for line in lines if line.startswith("{")]


def access_lines(capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    return [line for line in log_lines(capsys) if line["logger"] == "gateway.access"]


@dataclass(frozen=True)
class Export:
    """One OTLP/HTTP export a collector received."""

    path: str
    headers: dict[str, str]
    body: bytes


@contextmanager
def otlp_collector() -> Iterator[tuple[str, list[Export]]]:
    """A stand-in OpenTelemetry collector on loopback: its traces URL and what it got."""
    received: list[Export] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", "0")))
            headers = {k.lower(): v for k, v in self.headers.items()}
            received.append(Export(self.path, headers, body))
            self.send_response(200)
            self.send_header("content-type", "application/x-protobuf")
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            del args

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1/traces", received
    finally:
        server.shutdown()
        server.server_close()
        thread.join()

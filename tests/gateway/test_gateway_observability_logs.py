"""JSON logs: one access line per request, the request id on every line, nothing secret."""

from __future__ import annotations

import asyncio
import json
import logging
import sys

import pytest

from gateway.observability.json_logs import JsonFormatter, configure_logging
from gateway.observability.request_id import request_scope
from gateway.request_state import RequestState
from gateway.settings import GatewaySettings
from tests.gateway.observed import CUSTOMER_CARD, access_lines, log_lines, observed


async def test_each_request_writes_one_access_line(capsys: pytest.CaptureFixture[str]) -> None:
    async with observed() as seen:
        capsys.readouterr()
        response = await seen.gw.post(CUSTOMER_CARD, {"id": seen.gw.acme.customers[0].customer_id})

    [line] = access_lines(capsys)
    assert line["level"] == "INFO"
    assert line["request_id"] == response.headers["x-request-id"]
    assert {k: line[k] for k in ("method", "path", "status", "operation", "tenant")} == {
        "method": "POST",
        "path": "/graphql",
        "status": 200,
        "operation": "CustomerCard",
        "tenant": "acme",
    }
    assert isinstance(line["duration_ms"], float)
    assert line["duration_ms"] > 0


async def test_the_access_line_holds_no_variables_query_string_or_key(
    capsys: pytest.CaptureFixture[str],
) -> None:
    async with observed() as seen:
        customer_id = seen.gw.acme.customers[0].customer_id
        capsys.readouterr()
        await seen.gw.client.get(
            "/graphql",
            params={
                "query": "query One($id: ID!) { customer(id: $id) { email } }",
                "variables": json.dumps({"id": customer_id}),
            },
            headers={"x-api-key": "key-acme", "accept": "application/json"},
        )

    output = capsys.readouterr().err
    [line] = [json.loads(x) for x in output.splitlines() if '"gateway.access"' in x]
    assert (line["path"], line["status"], line["operation"]) == ("/graphql", 200, "One")
    assert customer_id not in output
    assert "key-acme" not in output
    assert "query=" not in output


async def test_a_refused_request_is_logged_with_its_reason(
    capsys: pytest.CaptureFixture[str],
) -> None:
    async with observed() as seen:
        capsys.readouterr()
        await seen.gw.client.post("/graphql", json={"query": "{ __typename }"})

    [line] = access_lines(capsys)
    assert (line["status"], line["rejected"], line["tenant"]) == (401, "UNAUTHENTICATED", None)


async def test_probes_are_logged_at_debug_only(capsys: pytest.CaptureFixture[str]) -> None:
    async with observed() as seen:
        capsys.readouterr()
        await seen.gw.client.get("/healthz")
        await seen.gw.client.get("/metrics")

    assert access_lines(capsys) == []


async def test_the_access_log_can_be_switched_off(capsys: pytest.CaptureFixture[str]) -> None:
    async with observed(GatewaySettings(_env_file=None, access_log=False)) as seen:
        capsys.readouterr()
        await seen.gw.query("{ __typename }")

    assert access_lines(capsys) == []


def test_every_gateway_log_line_carries_the_current_request_id(
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure_logging("json", "INFO")
    log = logging.getLogger("gateway.anything")

    with request_scope(RequestState("req-1")):
        log.warning("inside", extra={"vendor": "talon"})
    log.warning("outside")

    inside, outside = log_lines(capsys)
    assert (inside["message"], inside["request_id"], inside["vendor"]) == (
        "inside",
        "req-1",
        "talon",
    )
    assert (outside["message"], outside["request_id"]) == ("outside", "-")


def test_an_exception_is_one_json_line() -> None:
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.LogRecord("gateway.x", logging.ERROR, "f.py", 1, "failed", None, None)
        record.exc_info = sys.exc_info()

    line = JsonFormatter().format(record)

    assert "\n" not in line
    assert json.loads(line)["exception"].endswith("ValueError: boom")


def test_text_logs_are_available(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("text", "INFO")
    try:
        with request_scope(RequestState("req-2")):
            logging.getLogger("gateway.x").info("plain")
    finally:
        configure_logging("json", "INFO")

    assert "INFO gateway.x [req-2] plain" in capsys.readouterr().err


def test_configuring_twice_keeps_one_handler() -> None:
    configure_logging("json", "INFO")
    configure_logging("json", "INFO")

    assert len(logging.getLogger("gateway").handlers) == 1


async def test_a_request_cancelled_before_its_answer_is_a_coded_503_not_a_500(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The server stopping cancels the request's task: answered and logged as such."""
    from gateway.observability.access_log import ObservabilityMiddleware
    from gateway.observability.metrics import GatewayMetrics

    async def never_answers(scope: object, receive: object, send: object) -> None:
        raise asyncio.CancelledError("Task cancelled, timeout graceful shutdown exceeded")

    sent: list[dict[str, object]] = []

    async def send(message: dict[str, object]) -> None:
        sent.append(message)

    configure_logging("json", "INFO")
    middleware = ObservabilityMiddleware(
        never_answers,
        metrics=GatewayMetrics(),
        routes={"/graphql"},
        quiet=set(),
        guarded="/graphql",
    )
    scope = {"type": "http", "method": "POST", "path": "/graphql", "headers": []}
    await middleware(scope, None, send)  # type: ignore[arg-type]

    assert sent[0]["status"] == 503
    body = json.loads(sent[1]["body"])  # type: ignore[arg-type]
    assert body["errors"][0]["extensions"]["code"] == "SHUTTING_DOWN"
    [line] = [
        json.loads(x) for x in capsys.readouterr().err.splitlines() if '"gateway.access"' in x
    ]
    assert (line["status"], line["rejected"]) == (503, "SHUTTING_DOWN")

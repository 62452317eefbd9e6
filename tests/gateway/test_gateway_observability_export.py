"""Spans leave by OTLP over HTTP, to the configured collector with its headers."""

from __future__ import annotations

from pydantic import SecretStr

from gateway.settings import GatewaySettings
from tests.gateway.observed import CUSTOMER_CARD, observed, otlp_collector


async def test_spans_are_exported_to_the_configured_collector() -> None:
    with otlp_collector() as (endpoint, received):
        settings = GatewaySettings(
            _env_file=None,
            tracing_enabled=True,
            otlp_endpoint=endpoint,
            otlp_headers={"x-collector-token": SecretStr("collector-token")},
            service_name="cg-under-test",
        )
        async with observed(settings) as seen:
            await seen.gw.query(CUSTOMER_CARD, {"id": seen.gw.acme.customers[0].customer_id})

            await seen.gw.gateway.state.services.aclose()  # the lifespan's end flushes

    assert received
    export = received[0]
    assert export.path == "/v1/traces"
    assert export.headers["content-type"] == "application/x-protobuf"
    assert export.headers["x-collector-token"] == "collector-token"
    body = b"".join(e.body for e in received)
    assert b"cg-under-test" in body
    assert b"query CustomerCard" in body
    assert b"GET /api/v1/customers/{customerId}" in body


def test_the_collector_token_is_a_secret_in_the_settings() -> None:
    settings = GatewaySettings(_env_file=None, otlp_headers={"x-token": SecretStr("t0k3n")})

    assert "t0k3n" not in repr(settings)
    assert "t0k3n" not in str(settings.model_dump())

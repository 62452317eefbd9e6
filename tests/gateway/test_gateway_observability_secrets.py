"""No credential — a vendor's key or secret, a gateway API key, a bearer token or its
signing secret — and no variable's value reaches the metrics, the logs or the traces."""

from __future__ import annotations

import logging
import time

import jwt
import pytest
from pydantic import SecretStr

from gateway.auth.jwt_settings import JwtSettings
from gateway.settings import GatewaySettings
from tests.gateway.observed import CUSTOMER_CARD, observed, otlp_collector
from tests.schema.gateway_harness import WORLD

JWT_SECRET = "signing-secret-of-the-identity-provider-0042"
WRONG_KEY = "key-wrong-but-still-a-secret-77"
VARIABLE = "private.person.4711@example.com"
TYPENAME = {"query": "{ __typename }"}
SEARCH = "query Find($q: String!) { customers(first: 2, search: $q) { edges { node { email } } } }"


def token(secret: str = JWT_SECRET) -> str:
    now = int(time.time())
    claims = {"sub": "user-1", "tenant": "acme", "scope": "customers:read support promotions"}
    return jwt.encode({**claims, "iat": now, "exp": now + 600}, secret, algorithm="HS256")


def secrets() -> list[str]:
    vendor = [
        value
        for t in WORLD.tenants
        for value in (
            t.tallymarks_api_key,
            t.tallymarks_api_secret,
            t.omnidesk_api_key,
            t.talon_api_key,
        )
    ]
    return [*vendor, "key-acme", "key-globex", WRONG_KEY, JWT_SECRET, token()]


async def test_no_credential_or_variable_is_observed(
    capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="gateway")
    with otlp_collector() as (endpoint, exported):
        settings = GatewaySettings(
            _env_file=None,
            tracing_enabled=True,
            otlp_endpoint=endpoint,
            jwt=JwtSettings(secret=SecretStr(JWT_SECRET)),
            log_level="DEBUG",
        )
        async with observed(settings) as seen:
            customer = {"id": seen.gw.acme.customers[0].customer_id}
            await seen.gw.query(CUSTOMER_CARD, customer)
            bearer = {"authorization": f"Bearer {token()}"}
            by_token = await seen.gw.client.post("/graphql", json=TYPENAME, headers=bearer)
            searched = await seen.gw.query(SEARCH, {"q": VARIABLE})
            wrong_key = await seen.gw.post(CUSTOMER_CARD, customer, key=WRONG_KEY)
            forged = {"authorization": f"Bearer {token('another-secret-that-is-long-enough!!')}"}
            by_forgery = await seen.gw.client.post("/graphql", json=TYPENAME, headers=forged)
            seen.gw.fault("talon", error_rate=1.0)
            seen.gw.fault("omnidesk", down=True)
            await seen.gw.query(CUSTOMER_CARD, {"id": seen.gw.acme.customers[1].customer_id})
            await seen.gw.client.get("/readyz")

            metrics = seen.exposition()
            spans = "".join(s.to_json() for s in seen.finished_spans())
            await seen.gw.gateway.state.services.aclose()

    logs = capsys.readouterr().err + "".join(
        f"{r.getMessage()} {vars(r)}" for r in caplog.records if r.name.startswith("gateway")
    )
    otlp = b"".join(e.body for e in exported)
    statuses = [r.status_code for r in (by_token, wrong_key, by_forgery)]
    assert (statuses, searched.get("errors")) == ([200, 401, 401], None)
    assert "cg_upstream_requests_total" in metrics
    assert "dataloader" in spans
    assert '"gateway.access"' in logs
    assert otlp
    for secret in [*secrets(), VARIABLE]:
        assert secret not in metrics
        assert secret not in logs
        assert secret not in spans
        assert secret.encode() not in otlp

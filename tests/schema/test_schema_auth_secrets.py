"""No credential leaves the gateway: not the vendors' keys (right or refused), not the
gateway's own API keys or token secret — in no response body or header, log line or metric,
however the run fails."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from pydantic import SecretStr

from demo.tenants import demo_tenants
from gateway.auth.jwt_settings import JwtSettings
from gateway.settings import GatewaySettings, TenantConfig
from tests.schema.auth_harness import SCOPED_KEYS, AuthHarness, auth_harness
from tests.schema.gateway_harness import URLS, WORLD

TOKEN_SECRET = "token-secret-that-must-never-leak-0123456789"
#: acme's Talon.One key as if rotated at the vendor and not yet here: every call is refused
REFUSED_TALON_KEY = "refused-talon-key-5f1c2a9e77d04b1f"

WHOLE_CUSTOMER = """
query($id: ID!, $email: String!) {
  customer(id: $id) {
    email loyaltyProfile { email mobileNumber } pointsBalance { points }
    loyaltySegments { id } supportProfile { supportId channels { address } }
    timeline { message } promotionProfile { totalSales } coupons { value }
    referrals { code } activity(first: 5) { edges { node { summary } } }
  }
  customerByEmail(email: $email) { customerId }
  customers(first: 5) { edges { node { email } } }
}
"""
WRITES = """
mutation($id: ID!) {
  updateCustomer(id: $id, input: {firstName: "Ann"}, idempotencyKey: "leak-1") {
    complete outcomes { vendor status code message }
  }
  recordTimelineEvent(customerId: $id, message: "note") { timelineEntryId }
  trackPromotionEvent(customerId: $id, type: "review_written") { eventId }
}
"""
FAULTS: list[dict[str, Any]] = [
    {},
    {"error_rate": 1.0},
    {"rate_limit_rate": 1.0, "retry_after_seconds": 0},
    {"down": True},
]


def _tenants() -> dict[str, TenantConfig]:
    tenants = demo_tenants(WORLD, URLS)
    acme = tenants["acme"]
    talon = acme.talon.model_copy(update={"api_key": SecretStr(REFUSED_TALON_KEY)})
    tenants["acme"] = acme.model_copy(update={"talon": talon})
    return tenants


def _secrets() -> set[str]:
    vendor = {
        secret
        for t in WORLD.tenants
        for secret in (
            t.tallymarks_api_key,
            t.tallymarks_api_secret,
            t.omnidesk_api_key,
            t.omnidesk_read_only_key,
            t.talon_api_key,
        )
    }
    return vendor | set(SCOPED_KEYS) | {TOKEN_SECRET, REFUSED_TALON_KEY}


async def _failing_run(h: AuthHarness) -> list[str]:
    """Everything a client (or a scraper) saw."""
    seen: list[str] = []
    customer = h.acme.customers[0]
    variables = {"id": customer.customer_id, "email": customer.email}
    for faults in FAULTS:
        for vendor in ("tallymarks", "omnidesk", "talon"):
            h.fault(vendor, **faults)
        for query in (WHOLE_CUSTOMER, WRITES):
            response = await h.post_as(query, {"x-api-key": "key-acme"}, **variables)
            seen += [response.text, str(response.headers)]
    for headers in (
        {"x-api-key": "key-acme-wrong"},
        {"authorization": "Bearer abc.def.ghi"},
        {"authorization": f"Bearer {TOKEN_SECRET}"},
    ):
        response = await h.post_as(WHOLE_CUSTOMER, headers, **variables)
        seen += [response.text, str(response.headers)]
    for path in ("/metrics", "/healthz", "/readyz"):
        response = await h.client.get(path)
        seen += [response.text, str(response.headers)]
    return seen


async def test_no_secret_leaves_in_responses_logs_or_metrics(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    settings = GatewaySettings(_env_file=None, jwt=JwtSettings(secret=SecretStr(TOKEN_SECRET)))

    async with auth_harness(settings, tenants=_tenants()) as h:
        seen = await _failing_run(h)
        upstream = [u.text() for u in h.upstream]

    assert any("UPSTREAM_UNAUTHORIZED" in text for text in seen)  # the refused key was used
    assert any(REFUSED_TALON_KEY in text for text in upstream)  # … and sent only upstream
    logs = caplog.text + "".join(repr(r.__dict__) for r in caplog.records)
    for secret in _secrets():
        assert not any(secret in text for text in seen), secret
        assert secret not in logs, secret

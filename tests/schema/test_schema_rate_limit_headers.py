"""The IETF RateLimit fields on every answer under a rate limit: the policy (quota = the
burst, window = seconds to refill it), what is left and when it is whole again; on a 429
they agree with ``Retry-After`` and ``extensions.retryAfter`` (whole seconds)."""

from __future__ import annotations

import pytest

from gateway.rate_limit.config import RateLimitSettings
from gateway.rate_limit.gcra import Decision
from gateway.rate_limit.headers import ratelimit_fields
from gateway.settings import GatewaySettings
from tests.schema.gateway_harness import harness

#: one operation per 100 s, two at once: nothing refills while the test runs
SLOW = RateLimitSettings(rate=0.01, burst=2)


async def test_allowed_and_refused_answers_carry_the_ratelimit_fields() -> None:
    async with harness(GatewaySettings(rate_limit=SLOW)) as gw:
        first = await gw.post("{ __typename }")
        second = await gw.post("{ __typename }")
        refused = await gw.post("{ __typename }")
        other_principal = await gw.post("{ __typename }", key="key-globex")

    assert [r.status_code for r in (first, second, refused)] == [200, 200, 429]
    for response in (first, second, refused, other_principal):
        assert response.headers["ratelimit-policy"] == '"default";q=2;w=200'
    assert first.headers["ratelimit"] == '"default";r=1;t=100'
    assert second.headers["ratelimit"] == '"default";r=0;t=200'
    assert refused.headers["ratelimit"] == '"default";r=0;t=100'
    assert refused.headers["retry-after"] == "100"
    extensions = refused.json()["errors"][0]["extensions"]
    assert extensions["retryAfter"] == 100
    assert type(extensions["retryAfter"]) is int
    assert other_principal.headers["ratelimit"] == '"default";r=1;t=100'  # its own bucket


async def test_no_fields_without_a_rate_limit() -> None:
    async with harness() as gw:
        response = await gw.post("{ __typename }")

    assert "ratelimit" not in response.headers
    assert "ratelimit-policy" not in response.headers


async def test_a_refused_credential_is_not_counted_against_a_bucket() -> None:
    async with harness(GatewaySettings(rate_limit=SLOW)) as gw:
        unauthenticated = await gw.post("{ __typename }", key="key-nobody")

    assert unauthenticated.status_code == 401
    assert "ratelimit" not in unauthenticated.headers


@pytest.mark.parametrize(
    ("settings", "decision", "policy", "state"),
    [
        (RateLimitSettings(rate=20, burst=40), Decision(True, 0.0, 40), "q=40;w=2", "r=40;t=0"),
        (RateLimitSettings(rate=20, burst=40), Decision(True, 0.0, 39), "q=40;w=2", "r=39;t=1"),
        (RateLimitSettings(rate=3, burst=1), Decision(True, 0.0, 0), "q=1;w=1", "r=0;t=1"),
        (RateLimitSettings(rate=20, burst=40), Decision(False, 0.04, 0), "q=40;w=2", "r=0;t=1"),
        (RateLimitSettings(rate=0.3, burst=1), Decision(False, 2.5, 0), "q=1;w=4", "r=0;t=3"),
    ],
)
def test_the_fields_are_whole_seconds_rounded_up(
    settings: RateLimitSettings, decision: Decision, policy: str, state: str
) -> None:
    fields = dict(ratelimit_fields(settings, decision))

    assert fields[b"ratelimit-policy"].decode() == f'"default";{policy}'
    assert fields[b"ratelimit"].decode() == f'"default";{state}'

"""``/metrics``: vendor calls by route template and status, their latency, the read cache,
and each vendor's circuit breaker."""

from __future__ import annotations

from gateway.settings import GatewaySettings, VendorHttpConfig
from tests.gateway.observed import CUSTOMER_CARD, observed
from vendors.resilience import BreakerConfig

CUSTOMER = ("tallymarks", "GET /api/v1/customers/{customerId}")
SUPPORT = ("omnidesk", "POST /api/v2/customer/SearchByPrimaryExternalID")
INVENTORY = ("talon", "GET /v1/customer_profiles/{integrationId}/inventory")


async def test_each_vendor_call_is_counted_by_route_template_and_status() -> None:
    async with observed() as seen:
        for customer in seen.gw.acme.customers[:3]:
            await seen.gw.query(CUSTOMER_CARD, {"id": customer.customer_id})

        for vendor, endpoint in (CUSTOMER, SUPPORT, INVENTORY):
            calls = seen.metric(
                "cg_upstream_requests_total", vendor=vendor, endpoint=endpoint, status="200"
            )
            timed = seen.metric(
                "cg_upstream_request_duration_seconds_count", vendor=vendor, endpoint=endpoint
            )
            assert calls == timed == seen.gw.calls(vendor, endpoint) == 3
        assert "customer_id" not in seen.exposition()
        assert seen.gw.acme.customers[0].customer_id not in seen.exposition()


async def test_every_attempt_is_counted_with_its_status_or_failure() -> None:
    async with observed() as seen:
        seen.gw.fault("talon", error_rate=1.0, error_status=503)
        seen.gw.fault("omnidesk", down=True)

        await seen.gw.query(CUSTOMER_CARD, {"id": seen.gw.acme.customers[0].customer_id})

        talon, omnidesk = INVENTORY[1], SUPPORT[1]
        failed_talon = seen.metric(
            "cg_upstream_requests_total", vendor="talon", endpoint=talon, status="503"
        )
        unreachable = seen.metric(
            "cg_upstream_requests_total", vendor="omnidesk", endpoint=omnidesk, status="unreachable"
        )
        assert failed_talon == seen.gw.calls("talon") == 3  # the first try and two retries
        assert unreachable == 3


async def test_cache_hits_and_misses_are_counted() -> None:
    # the response cache would answer the repeat whole; here the read cache does
    async with observed(GatewaySettings(_env_file=None, response_cache=False)) as seen:
        variables = {"id": seen.gw.acme.customers[0].customer_id}
        await seen.gw.query(CUSTOMER_CARD, variables)
        cold = seen.metric("cg_cache_misses_total"), seen.metric("cg_cache_hits_total")
        await seen.gw.query(CUSTOMER_CARD, variables)
        warm = seen.metric("cg_cache_misses_total"), seen.metric("cg_cache_hits_total")

        assert cold == (3, 0)  # one per vendor resource
        assert warm[0] == 3  # nothing loaded again …
        assert warm[1] > 0  # … answered from the cache
        assert seen.metric("cg_cache_entries") == 3
        assert seen.gw.calls() == 3


async def test_the_breaker_state_of_each_vendor_is_a_gauge() -> None:
    trips_fast = VendorHttpConfig(retry_attempts=1, breaker=BreakerConfig(failure_threshold=2))
    settings = GatewaySettings(_env_file=None, http={"omnidesk": trips_fast})
    async with observed(settings) as seen:

        def state(vendor: str) -> str:
            [current] = [
                s
                for s in ("closed", "half_open", "open")
                if seen.metric("cg_circuit_breaker_state", vendor=vendor, state=s) == 1
            ]
            return current

        assert [state(v) for v in ("tallymarks", "omnidesk", "talon")] == ["closed"] * 3
        seen.gw.fault("omnidesk", down=True)
        for customer in seen.gw.acme.customers[:2]:
            await seen.gw.query(CUSTOMER_CARD, {"id": customer.customer_id})

        assert [state(v) for v in ("tallymarks", "omnidesk", "talon")] == [
            "closed",
            "open",
            "closed",
        ]
        opened = seen.metric(
            "cg_circuit_breaker_transitions_total",
            vendor="omnidesk",
            from_state="closed",
            to_state="open",
        )
        assert opened == 1

"""Injected sandbox faults (in process) → the exact error class, with exact upstream calls."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.clients.talon.sandbox_support import Sandbox, in_process, new_sandbox
from vendors.errors import (
    VendorRateLimitedError,
    VendorUnavailableError,
)
from vendors.talon.models import (
    IntegrationEventV2Request,
    IntegrationRequest,
    NewCustomerSessionV2,
)

SESSION = "/v2/customer_sessions/{customerSessionId}"


@pytest.fixture
async def sandbox() -> AsyncIterator[Sandbox]:
    wired = in_process(new_sandbox())
    await wired.client.update_customer_session_v2(
        "S-1",
        IntegrationRequest(
            customer_session=NewCustomerSessionV2(profile_id=wired.tenant.customers[0].customer_id)
        ),
    )
    await wired.reset_counters()
    yield wired
    await wired.aclose()


def event(sandbox: Sandbox) -> IntegrationEventV2Request:
    return IntegrationEventV2Request(
        type="app_opened", profile_id=sandbox.tenant.customers[0].customer_id
    )


async def test_down_get_is_unavailable_after_one_retry(sandbox: Sandbox) -> None:
    await sandbox.set_faults(down=True)

    with pytest.raises(VendorUnavailableError) as caught:
        await sandbox.client.get_customer_session("S-1")

    assert caught.value.status is None
    assert await sandbox.calls("GET", SESSION) == 2


async def test_down_post_is_unavailable_without_retry(sandbox: Sandbox) -> None:
    await sandbox.set_faults(down=True)

    with pytest.raises(VendorUnavailableError):
        await sandbox.client.track_event_v2(event(sandbox))

    assert await sandbox.calls("POST", "/v2/events") == 1


async def test_one_5xx_then_an_idempotent_call_succeeds_with_two_calls(sandbox: Sandbox) -> None:
    await sandbox.set_faults(fail_next=1, error_status=502)

    response = await sandbox.client.get_customer_session("S-1")

    assert response.customer_session is not None
    assert await sandbox.calls("GET", SESSION) == 2
    assert (await sandbox.counters())["statuses"] == {"502": 1, "200": 1}
    assert len(sandbox.sleeps.waits) == 1


async def test_one_5xx_fails_a_post_after_exactly_one_call(sandbox: Sandbox) -> None:
    await sandbox.set_faults(fail_next=1, error_status=503)

    with pytest.raises(VendorUnavailableError) as caught:
        await sandbox.client.track_event_v2(event(sandbox))

    assert caught.value.status == 503
    assert "upstream" not in str(caught.value)
    assert "<html>" not in str(caught.value)
    assert await sandbox.calls("POST", "/v2/events") == 1


async def test_a_persistent_5xx_on_a_put_is_unavailable_after_two_calls(sandbox: Sandbox) -> None:
    await sandbox.set_faults(error_rate=1.0)

    with pytest.raises(VendorUnavailableError):
        await sandbox.client.update_customer_session_v2(
            "S-1", IntegrationRequest(customer_session=NewCustomerSessionV2())
        )

    assert await sandbox.calls("PUT", SESSION) == 2


async def test_429_on_a_post_is_rate_limited_with_retry_after(sandbox: Sandbox) -> None:
    await sandbox.set_faults(rate_limit_rate=1.0, retry_after_seconds=3)

    with pytest.raises(VendorRateLimitedError) as caught:
        await sandbox.client.track_event_v2(event(sandbox))

    assert (caught.value.status, caught.value.retry_after) == (429, 3.0)
    assert await sandbox.calls("POST", "/v2/events") == 1
    assert sandbox.sleeps.waits == []


async def test_429_on_a_get_waits_retry_after_before_the_retry(sandbox: Sandbox) -> None:
    await sandbox.set_faults(rate_limit_rate=1.0, retry_after_seconds=1)

    with pytest.raises(VendorRateLimitedError):
        await sandbox.client.get_customer_session("S-1")

    assert await sandbox.calls("GET", SESSION) == 2
    assert len(sandbox.sleeps.waits) == 1
    assert sandbox.sleeps.waits[0] >= 1.0


async def test_latency_alone_still_answers(sandbox: Sandbox) -> None:
    await sandbox.set_faults(latency_ms=20, jitter_ms=5)

    response = await sandbox.client.get_customer_session("S-1")

    assert response.customer_session is not None
    assert await sandbox.calls("GET", SESSION) == 1

"""The client against the Talon.One sandbox over real HTTP (uvicorn on loopback)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator

import pytest
from fastapi import FastAPI

from tests.clients.talon.sandbox_support import Sandbox, connect, new_sandbox
from tests.support.live_server import live_server
from vendors.errors import (
    VendorNotFoundError,
    VendorTimeoutError,
    VendorUnavailableError,
)
from vendors.http_config import VendorHttpConfig
from vendors.talon.models import (
    CartItem,
    CouponReservations,
    IntegrationEventV2Request,
    IntegrationRequest,
    NewCustomerSessionV2,
)

pytestmark = pytest.mark.e2e

SESSION = "/v2/customer_sessions/{customerSessionId}"
SHORT_READ = VendorHttpConfig(connect_timeout=1.0, read_timeout=0.3)
#: flows must not time out on a loaded CI machine; only the hang test uses SHORT_READ
NORMAL_READ = VendorHttpConfig(connect_timeout=2.0, read_timeout=10.0)


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[FastAPI, str]]:
    app = new_sandbox()
    with live_server(app) as url:
        yield app, url


@pytest.fixture
async def sandbox(served: tuple[FastAPI, str]) -> AsyncIterator[Sandbox]:
    _, url = served
    wired = connect(url, settings=NORMAL_READ)
    await wired.admin.delete("/_sandbox/faults")
    await wired.reset_counters()
    yield wired
    await wired.admin.delete("/_sandbox/faults")
    await wired.aclose()


async def test_a_session_with_a_coupon_over_http(sandbox: Sandbox) -> None:
    cid = sandbox.tenant.customers[2].customer_id
    cart = [CartItem(name="Cap", sku="ACC-CAP-02", quantity=1, price=19.0)]

    opened = await sandbox.client.update_customer_session_v2(
        "live-1",
        IntegrationRequest(
            customer_session=NewCustomerSessionV2(
                profile_id=cid, cart_items=cart, coupon_codes=["WELCOME10"]
            ),
            response_content=["customerSession"],
        ),
    )
    closed = await sandbox.client.update_customer_session_v2(
        "live-1",
        IntegrationRequest(
            customer_session=NewCustomerSessionV2(state="closed"),
            response_content=["customerSession"],
        ),
    )

    assert opened.customer_session is not None
    assert opened.customer_session.coupon_codes == ["WELCOME10"]
    assert closed.customer_session is not None
    assert closed.customer_session.state == "closed"
    assert await sandbox.calls("PUT", SESSION) == 2


async def test_a_coupon_value_with_reserved_characters_travels_encoded(sandbox: Sandbox) -> None:
    body = CouponReservations(integration_ids=[sandbox.tenant.customers[0].customer_id])

    reserved = await sandbox.client.get_reserved_customers("WELCOME10")
    with pytest.raises(VendorNotFoundError) as caught:
        await sandbox.client.create_coupon_reservation("NO SUCH?COUPON#", body)

    assert all(p.integration_id for p in reserved.data)
    assert caught.value.code == "Not found"
    assert await sandbox.calls("POST", "/v1/coupon_reservations/{couponValue}") == 1


async def test_a_hanging_vendor_is_a_timeout_after_one_retry(
    sandbox: Sandbox, served: tuple[FastAPI, str]
) -> None:
    """Two attempts leave the client (one backoff between them) and both reach the sandbox.
    The sandbox counts a request when its server thread gets to it, which on a loaded
    machine can be after the client gave up on it: the count is awaited, then pinned."""
    impatient = connect(served[1], settings=SHORT_READ)
    # far longer than the 0.3 s read timeout, so even a stalled event loop sees the timeout
    await sandbox.set_faults(hang=True, hang_seconds=2.0)

    with pytest.raises(VendorTimeoutError):
        await impatient.client.get_customer_session("live-1")
    await impatient.aclose()

    assert len(impatient.sleeps.waits) == 1  # one backoff: a second attempt was sent
    for _ in range(200):  # up to 10 s for the server thread to count what was sent
        if await sandbox.calls("GET", SESSION) >= 2:
            break
        await asyncio.sleep(0.05)
    assert await sandbox.calls("GET", SESSION) == 2


async def test_a_down_vendor_drops_the_connection(sandbox: Sandbox) -> None:
    await sandbox.set_faults(down=True)

    with pytest.raises(VendorUnavailableError) as caught:
        await sandbox.client.track_event_v2(
            IntegrationEventV2Request(
                type="app_opened", profile_id=sandbox.tenant.customers[0].customer_id
            )
        )

    assert caught.value.status is None
    assert await sandbox.calls("POST", "/v2/events") == 1


async def test_a_5xx_over_http_is_unavailable(sandbox: Sandbox) -> None:
    await sandbox.set_faults(error_rate=1.0, error_status=504)

    with pytest.raises(VendorUnavailableError) as caught:
        await sandbox.client.get_customer_inventory(
            sandbox.tenant.customers[0].customer_id, profile=True
        )

    assert caught.value.status == 504
    assert await sandbox.calls("GET", "/v1/customer_profiles/{integrationId}/inventory") == 2

"""The client over real HTTP (uvicorn on loopback): multipart on the wire, timeouts, drops."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from sandbox.common import VendorRuntime
from sandbox.omnidesk.app import create_app
from sandbox.omnidesk.options import OmnideskSandboxOptions
from tests.clients.omnidesk.support import ACME, NO_RETRY, WORLD, config
from tests.support.live_server import live_server
from vendors.errors import VendorTimeoutError, VendorUnavailableError
from vendors.http import build_async_client
from vendors.http_config import VendorHttpConfig
from vendors.omnidesk import (
    CustomerChanges,
    NewCustomer,
    OmnideskClient,
    omnidesk_http,
)

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def served() -> Iterator[str]:
    """The sandbox's base URL (one server for the module; faults are cleared after each test)."""
    app = create_app(WORLD, runtime=VendorRuntime("omnidesk"), options=OmnideskSandboxOptions())
    with live_server(app) as url:
        yield url


@pytest.fixture
async def live(served: str) -> AsyncIterator[OmnideskClient]:
    url = served
    client = build_async_client(VendorHttpConfig(read_timeout=0.3))
    yield OmnideskClient(omnidesk_http(client, NO_RETRY), config(ACME, base_url=url))
    await client.aclose()
    async with httpx.AsyncClient(base_url=url) as admin:
        await admin.delete("/_sandbox/faults")


async def test_multipart_and_urlencoded_over_http(live: OmnideskClient) -> None:
    created = await live.create_customer(
        NewCustomer(primary_id="live-1", firstname="Chloé", extra_email="chloe@example.com")
    )
    await live.update_customer_by_external_id("live-1", CustomerChanges(lastname="Dubois"))

    assert created.id is not None
    customer = await live.get_customer(created.id)
    assert (customer.firstname, customer.lastname) == ("Chloé", "Dubois")
    assert [c.address for c in customer.channels] == ["chloe@example.com"]


async def test_a_hanging_vendor_times_out(live: OmnideskClient, served: str) -> None:
    async with httpx.AsyncClient(base_url=served) as admin:
        await admin.put("/_sandbox/faults", json={"hang": True, "hang_seconds": 1})

    with pytest.raises(VendorTimeoutError):
        await live.list_customers()


async def test_a_dropped_connection_is_unavailable(live: OmnideskClient, served: str) -> None:
    async with httpx.AsyncClient(base_url=served) as admin:
        await admin.put("/_sandbox/faults", json={"down": True})

    with pytest.raises(VendorUnavailableError) as caught:
        await live.get_customer(1)

    assert caught.value.status is None

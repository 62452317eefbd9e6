"""The three clients together, wired as the gateway wires them, on the demo world:
one identity across the vendors, and no tenant sees another's customers."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from pydantic import SecretStr

from demo.tenants import SandboxUrls, demo_tenants
from gateway.settings import GatewaySettings
from gateway.vendor_clients import VendorClients
from sandbox.demo_world import demo_world
from sandbox.registry import VENDOR_APPS
from vendors.errors import VendorNotFoundError

WORLD = demo_world(11, 2, 12)
URLS = SandboxUrls("http://tallymarks.test", "http://omnidesk.test", "http://talon.test")


@pytest.fixture
async def clients() -> AsyncIterator[VendorClients]:
    transports = {v: httpx.ASGITransport(app=make(WORLD)) for v, make in VENDOR_APPS.items()}
    pool = VendorClients(GatewaySettings(), transports=transports)
    yield pool
    await pool.aclose()


@pytest.mark.parametrize("tenant_index", [0, 1])
async def test_one_customer_is_the_same_person_at_every_vendor(
    clients: VendorClients, tenant_index: int
) -> None:
    tenant = WORLD.tenants[tenant_index]
    person = tenant.customers[5]
    vendors = clients.for_tenant(demo_tenants(WORLD, URLS)[tenant.key])

    loyalty = await vendors.tallymarks.get_customer(person.customer_id)
    support = await vendors.omnidesk.search_by_primary_external_id(person.customer_id)
    promotions = await vendors.talon.get_customer_inventory(person.customer_id, profile=True)

    assert loyalty.email_address == person.email
    assert support is not None
    assert support.external_primary_id == person.customer_id
    assert (support.firstname, support.lastname) == (person.first_name, person.last_name)
    assert promotions.profile is not None
    assert promotions.profile.integration_id == person.customer_id


async def test_a_tenant_never_sees_another_tenants_customer(clients: VendorClients) -> None:
    acme, globex = WORLD.tenants
    stranger = globex.customers[0].customer_id
    vendors = clients.for_tenant(demo_tenants(WORLD, URLS)[acme.key])

    with pytest.raises(VendorNotFoundError):
        await vendors.tallymarks.get_customer(stranger)
    assert await vendors.omnidesk.search_by_primary_external_id(stranger) is None
    with pytest.raises(VendorNotFoundError):
        await vendors.talon.get_customer_inventory(stranger, profile=True)


async def test_a_tenants_clients_are_bound_once_and_again_after_a_reload(
    clients: VendorClients,
) -> None:
    """Bound once per tenant configuration (not per request); a reloaded configuration —
    rotated credentials — gets clients of its own, and the old ones are not served for it."""
    acme, globex = WORLD.tenants
    tenants = demo_tenants(WORLD, URLS)
    first = clients.for_tenant(tenants[acme.key])

    assert clients.for_tenant(tenants[acme.key]) is first
    assert clients.for_tenant(tenants[globex.key]) is not first

    config = tenants[acme.key]
    rotated = config.model_copy(
        update={
            "tallymarks": config.tallymarks.model_copy(update={"api_key": SecretStr("rotated")})
        }
    )
    again = clients.for_tenant(rotated)
    assert again is not first
    assert again.tallymarks._headers != first.tallymarks._headers
    assert clients.for_tenant(rotated) is again
    assert clients.for_tenant(config) is first

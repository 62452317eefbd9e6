"""The demo data: deterministic, varied, and complete for the default world."""

from __future__ import annotations

from collections import Counter

from sandbox.common import VendorRuntime
from sandbox.demo_world import demo_world
from sandbox.tallymarks import create_app
from tests.sandbox.tallymarks.tm_support import ACME, client_for, new_app


async def test_two_builds_serve_identical_histories() -> None:
    customer_id = ACME.customers[2].customer_id
    params: dict[str, str | int] = {"customerId": customer_id, "limit": 100}
    bodies = []
    for _ in range(2):
        async with client_for(new_app()) as client:
            events = (await client.get("/api/v1/customers/events", params=params)).json()
            ledger = (await client.get("/api/v1/customers/transactions", params=params)).json()
            segments = (await client.get(f"/api/v1/customers/{customer_id}/segments")).json()
            bodies.append((events, ledger, segments))
    assert bodies[0] == bodies[1]


async def test_profiles_carry_city_and_tier_attributes_and_some_are_locked() -> None:
    async with client_for(new_app()) as client:
        profiles = [
            (await client.get(f"/api/v1/customers/{c.customer_id}")).json() for c in ACME.customers
        ]
    assert all([a["name"] for a in p["attributes"]] == ["city", "tier"] for p in profiles)
    statuses = Counter(p["externalStatus"] for p in profiles)
    assert set(statuses) <= {"active", "inactive", "delinquent"}
    assert all(p["externalStatus"] == "delinquent" for p in profiles if p["isAccountLocked"])


def test_the_default_world_builds_every_tenants_customers_with_histories_deferred() -> None:
    """What the sandbox builds at startup (its time is bench/sandbox_startup.py's subject):
    every tenant's customers, their histories left to the first read."""
    world = demo_world()
    assert [len(t.customers) for t in world.tenants] == [1000, 1000]

    store = create_app(world, runtime=VendorRuntime("tallymarks")).state.store

    assert set(store.tenants) == {t.tallymarks_tenant_id for t in world.tenants}
    for tenant in world.tenants:
        data = store.tenants[tenant.tallymarks_tenant_id]
        assert set(data.customers) == {c.customer_id for c in tenant.customers}
        assert not data.events  # built per customer on first touch, not at startup
        sample = [c.customer_id for c in tenant.customers[:20]]
        for customer_id in sample:
            data.ensure(customer_id)
        assert any(data.events_of(customer_id) for customer_id in sample)

"""The demo data: deterministic, varied, and fast to build for the default world."""

from __future__ import annotations

import time
from collections import Counter

from sandbox.common import VendorRuntime
from sandbox.demo_world import demo_world
from sandbox.tallymarks import create_app
from tests.sandbox.tallymarks.tm_support import ACME, client_for, new_app


async def test_two_builds_serve_identical_histories() -> None:
    customer_id = ACME.customers[2].customer_id
    params = {"customerId": customer_id, "limit": 100}
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


def test_building_the_default_world_takes_well_under_a_second() -> None:
    world = demo_world()  # cached: measure the sandbox, not the shared world
    started = time.perf_counter()
    app = create_app(world, runtime=VendorRuntime("tallymarks"))
    elapsed = time.perf_counter() - started
    assert elapsed < 0.5
    assert sum(len(t.customers) for t in app.state.store.tenants.values()) == 2000

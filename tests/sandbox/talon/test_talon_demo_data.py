"""The Talon.One demo data: deterministic, internally consistent, and complete."""

from __future__ import annotations

import math

import httpx

from sandbox.demo_world import DemoWorld, demo_world
from sandbox.talon.demo_data import build_store, management_token
from sandbox.talon.store import Store


def _fingerprint(store: Store) -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = []
    for app in store.apps.values():
        rows += [
            (p.id, p.integration_id, p.closed_sessions, p.total_sales, tuple(p.audience_ids))
            for p in app.profiles.values()
        ]
        rows += [
            (c.id, c.value, c.usage_counter, tuple(c.reserved_for)) for c in app.coupons.values()
        ]
        rows += [(r.id, r.code, tuple(r.referred_customers)) for r in app.referrals.values()]
        rows += [(g.id, g.code, g.awarded_to) for g in app.giveaways.values()]
    return rows


def test_demo_data_is_deterministic(world: DemoWorld) -> None:
    assert _fingerprint(build_store(world)) == _fingerprint(build_store(world))


def test_profiles_agree_with_their_closed_sessions_and_ledgers(world: DemoWorld) -> None:
    store = build_store(world)
    for app in store.apps.values():
        for profile in app.profiles.values():
            closed = [
                s
                for s in app.sessions.values()
                if s.profile_id == profile.integration_id and s.state == "closed"
            ]
            totals = [sum(i["price"] * i["quantity"] for i in s.cart_items) for s in closed]
            ledger = app.ledger.get(profile.integration_id, [])
            assert profile.closed_sessions == len(closed)
            assert math.isclose(profile.total_sales, sum(totals), abs_tol=0.01)
            assert sum(t.amount for t in ledger) == sum(math.floor(t) for t in totals)


def test_every_tenant_has_its_own_application(world: DemoWorld) -> None:
    store = build_store(world)

    for tenant in world.tenants:
        app = store.by_key[tenant.talon_api_key]
        assert app.id == tenant.talon_application_id
        assert app.account.id == tenant.talon_account_id
        assert set(app.profiles) == {c.customer_id for c in tenant.customers}
        assert len(app.account.audiences) == 5
        assert store.by_token[management_token(world.seed, tenant)] is app.account


def test_default_world_builds_every_tenants_application_with_its_profiles() -> None:
    """What the sandbox builds at startup (its time is bench/sandbox_startup.py's subject)."""
    world = demo_world()
    assert [len(t.customers) for t in world.tenants] == [1000, 1000]

    store = build_store(world)

    assert {app.id for app in store.apps.values()} == {
        t.talon_application_id for t in world.tenants
    }
    for tenant in world.tenants:
        app = store.by_key[tenant.talon_api_key]
        assert set(app.profiles) == {c.customer_id for c in tenant.customers}
        assert app.coupons
        assert app.sessions


async def test_admin_route_lists_the_tenants(anon: httpx.AsyncClient, world: DemoWorld) -> None:
    response = await anon.get("/_sandbox/talon/tenants")

    tenants = response.json()
    assert [t["applicationId"] for t in tenants] == [t.talon_application_id for t in world.tenants]
    assert tenants[0]["apiKey"] == world.tenants[0].talon_api_key
    assert tenants[0]["fixedCoupons"]["open"] == "WELCOME10"


async def test_admin_definitions_route(
    anon: httpx.AsyncClient, client: httpx.AsyncClient, world: DemoWorld
) -> None:
    app_id = world.tenants[0].talon_application_id
    current = (await anon.get(f"/_sandbox/talon/definitions/{app_id}")).json()
    current["attributes"]["CustomerProfile"]["ShoeSize"] = "number"
    current["eventTypes"].append("shoe_fitted")

    await anon.put(f"/_sandbox/talon/definitions/{app_id}", json=current)
    profile = await client.put("/v2/customer_profiles/defs", json={"attributes": {"ShoeSize": 44}})
    event = await client.post("/v2/events", json={"profileId": "defs", "type": "shoe_fitted"})

    assert profile.status_code == 200
    assert event.status_code == 204

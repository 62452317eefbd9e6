"""The Omnidesk demo data: deterministic, linked to the demo world, complete."""

from __future__ import annotations

import httpx
import pytest

from sandbox.common import VendorRuntime
from sandbox.demo_world import demo_world
from sandbox.omnidesk.app import create_app
from sandbox.omnidesk.demo_data import OTHER_BRAND_CUSTOMERS, build_store
from sandbox.omnidesk.options import OmnideskSandboxOptions
from sandbox.omnidesk.views import customer_detail, timeline_view
from tests.sandbox.omnidesk.support import ACME, GLOBEX, WORLD

OPTIONS = OmnideskSandboxOptions()


def snapshot(seed: int) -> list[object]:
    store = build_store(demo_world(seed, 2, 25), OPTIONS)
    account = store.accounts["acme"]
    return [
        (
            customer_detail(c, account, OPTIONS),
            timeline_view(account, c, with_tickets=True, newest_first=True),
        )
        for c in account.customers.values()
    ]


def test_the_demo_data_is_deterministic() -> None:
    assert snapshot(7) == snapshot(7)
    assert snapshot(7) != snapshot(8)


def test_every_demo_customer_is_in_the_main_brand_by_canonical_id() -> None:
    account = build_store(WORLD, OPTIONS).accounts[ACME.omnidesk_account]

    for person in ACME.customers:
        customer = account.customer_by_primary(ACME.omnidesk_brand_id, person.customer_id)
        assert customer is not None
        addresses = {(ch.type_id, ch.address) for ch in customer.channels}
        assert {(1, person.email), (2, person.mobile)} <= addresses
        assert customer.custom_fields["tier"] == person.tier


def test_the_demo_data_has_events_tickets_and_social_handles() -> None:
    account = build_store(demo_world(7, 1, 200), OPTIONS).accounts["acme"]
    customers = list(account.customers.values())

    assert any(ch.type_id in (3, 4) for c in customers for ch in c.channels)
    assert max(len(v) for v in account.timeline.values()) <= 6
    assert len(account.timeline) < len(customers)  # some have no events
    per_customer = [
        sum(1 for t in account.tickets.values() if t.customer_id == c.id) for c in customers
    ]
    assert max(per_customer) <= 3
    assert min(per_customer) == 0


def test_each_account_has_its_two_brands_and_its_keys() -> None:
    store = build_store(WORLD, OPTIONS)

    for tenant in (ACME, GLOBEX):
        account = store.accounts[tenant.omnidesk_account]
        assert set(account.brands) == {tenant.omnidesk_brand_id, tenant.omnidesk_other_brand_id}
        others = list(account.customers_in(tenant.omnidesk_other_brand_id))
        assert len(others) == OTHER_BRAND_CUSTOMERS
        assert store.keys[tenant.omnidesk_api_key].permissions == {"CUSTOMER_READ", "CUSTOMER_CUD"}
        assert store.keys[tenant.omnidesk_read_only_key].permissions == {"CUSTOMER_READ"}


def test_the_default_world_builds_every_tenants_account_and_customers() -> None:
    """What the sandbox builds at startup (its time is bench/sandbox_startup.py's subject)."""
    world = demo_world()
    assert [len(t.customers) for t in world.tenants] == [1000, 1000]

    app = create_app(world, runtime=VendorRuntime("omnidesk"), options=OPTIONS)

    store = app.state.store
    assert set(store.accounts) == {t.omnidesk_account for t in world.tenants}
    for tenant in world.tenants:
        account = store.accounts[tenant.omnidesk_account]
        main = {c.external_primary_id for c in account.customers_in(tenant.omnidesk_brand_id)}
        assert main == {c.customer_id for c in tenant.customers}
        assert len(account.customers) == len(tenant.customers) + OTHER_BRAND_CUSTOMERS
        assert account.timeline
        assert account.tickets


async def test_the_admin_route_lists_accounts_and_brands(client: httpx.AsyncClient) -> None:
    accounts = (await client.get("/_sandbox/omnidesk/accounts")).json()

    acme = next(a for a in accounts if a["account"] == ACME.omnidesk_account)
    assert acme["brands"] == [
        {
            "brand_id": ACME.omnidesk_brand_id,
            "brand_name": ACME.name,
            "enable_customer_search_by_channels": False,
            "crm_url": "stub:",
            "customers": len(ACME.customers),
        },
        {
            "brand_id": ACME.omnidesk_other_brand_id,
            "brand_name": f"{ACME.name} Outlet",
            "enable_customer_search_by_channels": True,
            "crm_url": None,
            "customers": OTHER_BRAND_CUSTOMERS,
        },
    ]


async def test_admin_routes_are_not_counted(client: httpx.AsyncClient) -> None:
    await client.get("/_sandbox/omnidesk/accounts")

    assert (await client.get("/_sandbox/counters")).json()["total"] == 0


def test_options_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SANDBOX_OMNIDESK_OPTIONS", '{"max_item_limit": 50}')

    assert OmnideskSandboxOptions.from_env().max_item_limit == 50

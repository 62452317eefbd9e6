"""The promotion and support reads in the cross-request cache: what a write's tags drop."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from cache import Tag
from resolvers import cache_tags as tags
from tests.schema.gateway_harness import Harness

CUSTOMER_360 = """
query($id: ID!) {
  customer(id: $id) {
    audiences { id } coupons { value } supportProfile { supportId } timeline { id }
  }
}
"""
INVENTORY = "GET /v1/customer_profiles/{integrationId}/inventory"


def _acme() -> Any:
    """What the tag functions need of a context: the tenant's ``tag``."""
    return SimpleNamespace(tag=lambda vendor, resource, ident: Tag("acme", vendor, resource, ident))


async def _warm(gw: Harness, index: int) -> str:
    customer_id: str = gw.acme.customers[index].customer_id
    await gw.query(CUSTOMER_360, {"id": customer_id})
    await gw.query(CUSTOMER_360, {"id": customer_id})
    assert gw.calls("talon") + gw.calls("omnidesk") == 3  # the second query hit the cache
    gw.reset_calls()
    return customer_id


async def test_an_inventory_write_drops_only_that_customers_inventory(gw: Harness) -> None:
    customer_id = await _warm(gw, 0)
    other = await _warm(gw, 1)

    gw.gateway.state.services.cache.invalidate([tags.promotion_inventory(_acme(), customer_id)])
    await gw.query(CUSTOMER_360, {"id": customer_id})
    await gw.query(CUSTOMER_360, {"id": other})

    assert gw.endpoints("talon") == {INVENTORY: 1}
    assert gw.calls("omnidesk") == 0


async def test_an_audience_write_reaches_its_members_cached_profiles(gw: Harness) -> None:
    member = await _warm(gw, 0)  # in audience 1 ("VIP customers")

    gw.gateway.state.services.cache.invalidate([tags.audience_members(_acme(), 1)])
    await gw.query(CUSTOMER_360, {"id": member})

    assert gw.endpoints("talon") == {INVENTORY: 1}


async def test_support_writes_drop_the_support_reads(gw: Harness) -> None:
    customer_id = await _warm(gw, 0)

    gw.gateway.state.services.cache.invalidate(
        [tags.support_customer(_acme(), customer_id), tags.support_timeline(_acme(), customer_id)]
    )
    await gw.query(CUSTOMER_360, {"id": customer_id})

    assert gw.calls("omnidesk") == 2
    assert gw.calls("talon") == 0

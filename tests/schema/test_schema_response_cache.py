"""The response cache through the real app: a repeated query is answered whole with no
upstream call and no execution; anything that would change the answer drops it; answers
that must not be kept (errors, mutations, uncached kinds, other tenants) are not."""

from __future__ import annotations

import asyncio
from typing import Any

from gateway.auth.principal import Principal
from gateway.auth.scopes import Scope
from gateway.response_cache import ResponseCache
from gateway.settings import DEFAULT_TTLS, GatewaySettings
from tests.schema.gateway_harness import Harness, harness
from tests.schema.test_schema_customer_360 import UPDATE

CARD = """
query Card($id: ID!) {
  customer(id: $id) {
    customerId firstName pointsBalance { points }
    supportProfile { channels { type address } }
    coupons { value }
  }
}
"""


def responses(gw: Harness) -> Any:
    return gw.gateway.state.services.cache.responses


async def test_a_repeated_query_is_answered_whole_without_upstream_calls(gw: Harness) -> None:
    variables = {"id": gw.acme.customers[0].customer_id}
    first = await gw.post(CARD, variables)
    calls = gw.calls()
    second = await gw.post(CARD, variables)

    assert second.json() == first.json()
    assert "errors" not in first.json()
    assert gw.calls() == calls
    assert responses(gw).stats.hits == 1
    assert second.headers["content-type"] == first.headers["content-type"]


async def test_a_write_to_what_the_answer_shows_drops_it(gw: Harness) -> None:
    customer = gw.acme.customers[1].customer_id
    await gw.query(CARD, {"id": customer})
    updated = await gw.query(UPDATE, {"id": customer, "key": "response-cache-1"})
    assert updated["data"]["updateCustomer"]["complete"] is True

    after = await gw.query(CARD, {"id": customer})

    assert after["data"]["customer"]["firstName"] == "Renamed"
    assert responses(gw).stats.hits == 0


async def test_a_write_to_another_customer_keeps_the_answer(gw: Harness) -> None:
    customer, other = (c.customer_id for c in gw.acme.customers[2:4])
    await gw.query(CARD, {"id": customer})
    await gw.query(UPDATE, {"id": other, "key": "response-cache-2"})

    await gw.query(CARD, {"id": customer})

    assert responses(gw).stats.hits == 1


async def test_an_answer_with_errors_is_not_kept(gw: Harness) -> None:
    variables = {"id": gw.acme.customers[4].customer_id}
    gw.fault("talon", down=True)
    first = await gw.query(CARD, variables)
    assert first["errors"]
    gw.fault("talon")

    second = await gw.query(CARD, variables)

    assert "errors" not in second
    assert second["data"]["customer"]["coupons"] is not None
    assert responses(gw).stats.hits == 0


async def test_another_tenant_never_gets_the_answer(gw: Harness) -> None:
    variables = {"id": gw.acme.customers[5].customer_id}
    mine = await gw.query(CARD, variables)
    theirs = await gw.query(CARD, variables, key="key-globex")

    assert mine["data"]["customer"] is not None
    assert theirs["data"]["customer"] is None  # globex has no such customer
    assert responses(gw).stats.hits == 0


async def test_mutations_are_never_answered_from_the_cache(gw: Harness) -> None:
    variables = {"id": gw.acme.customers[6].customer_id, "key": "response-cache-3"}
    first = await gw.query(UPDATE, variables)
    second = await gw.query(UPDATE, variables)

    statuses = {o["status"] for o in second["data"]["updateCustomer"]["outcomes"]}
    assert first["data"]["updateCustomer"]["complete"] is True
    assert statuses == {"ALREADY_DONE"}  # executed again, not replayed
    assert responses(gw).stats.hits == 0


async def test_an_answer_lives_as_long_as_its_shortest_read() -> None:
    ttls = {**DEFAULT_TTLS, "balance": 0.3}
    async with harness(GatewaySettings(_env_file=None, cache_ttls=ttls)) as gw:
        variables = {"id": gw.acme.customers[7].customer_id}
        await gw.query(CARD, variables)
        await gw.query(CARD, variables)
        assert responses(gw).stats.hits == 1
        await asyncio.sleep(0.4)
        gw.reset_calls()

        await gw.query(CARD, variables)

        assert responses(gw).stats.hits == 1
        # only the expired balance is read again; the rest comes from the read cache
        assert gw.endpoints("tallymarks") == {"GET /api/v1/customers/{customerId}/balance": 1}


async def test_a_cart_session_read_is_never_kept(gw: Harness) -> None:
    query = 'query { cartSession(id: "no-such-session") { id } }'
    await gw.query(query)
    await gw.query(query)

    assert responses(gw).stats.hits == 0


def test_the_key_tells_callers_with_other_scopes_apart() -> None:
    everything = Principal("acme", "a")
    reader = Principal("acme", "b", scopes=frozenset({Scope.CUSTOMERS_READ}))
    key = ResponseCache.key

    assert key(everything, "application/json", "POST", b"", b"{}") == key(
        Principal("acme", "other-name"), "application/json", "POST", b"", b"{}"
    )
    assert key(everything, "application/json", "POST", b"", b"{}") != key(
        reader, "application/json", "POST", b"", b"{}"
    )
    assert key(everything, "application/json", "POST", b"", b"{}") != key(
        everything, "application/graphql-response+json", "POST", b"", b"{}"
    )

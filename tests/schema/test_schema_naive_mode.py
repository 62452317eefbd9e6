"""``CG_RESOLVER_MODE=naive`` (the benchmarks' contrast): without dataloaders and the
cross-request cache, the customer-360 query makes more upstream calls than the optimised
gateway, and repeating it makes them all again."""

from __future__ import annotations

from gateway.settings import GatewaySettings
from tests.schema.gateway_harness import Harness, harness
from tests.schema.test_schema_customer_360 import CUSTOMER_360

#: the 360 fragment of the page test, for one customer by id
ONE = (
    CUSTOMER_360.split("query Page")[0]
    + "query One($id: ID!) { customer(id: $id) { ...Customer360 } }"
)

#: the customer record and one call per distinct resource (test_schema_customer_360)
DISTINCT_RESOURCES = 8


async def customer_360_calls(gw: Harness, customer_id: str) -> int:
    gw.reset_calls()
    body = await gw.query(ONE, {"id": customer_id})
    assert "errors" not in body, body.get("errors")
    assert body["data"]["customer"]["customerId"] == customer_id
    return gw.calls()


async def test_naive_makes_more_upstream_calls_than_optimised_for_the_360() -> None:
    async with harness() as optimised:
        person = optimised.acme.customers[4].customer_id
        fewest = await customer_360_calls(optimised, person)
    async with harness(GatewaySettings(resolver_mode="naive")) as naive:
        many = await customer_360_calls(naive, person)

    assert fewest == DISTINCT_RESOURCES
    assert many > fewest


async def test_naive_caches_nothing_across_requests() -> None:
    async with harness(GatewaySettings(resolver_mode="naive")) as naive:
        person = naive.acme.customers[5].customer_id
        first = await customer_360_calls(naive, person)
        second = await customer_360_calls(naive, person)

    assert first > 0
    assert second == first


async def test_optimised_answers_the_repeat_from_its_cache(gw: Harness) -> None:
    person = gw.acme.customers[6].customer_id

    await customer_360_calls(gw, person)

    assert await customer_360_calls(gw, person) == 0


async def test_naive_and_optimised_answer_the_same(gw: Harness) -> None:
    person = gw.acme.customers[7].customer_id
    expected = await gw.query(ONE, {"id": person})
    async with harness(GatewaySettings(resolver_mode="naive")) as naive:
        got = await naive.query(ONE, {"id": person})

    assert got == expected

"""Points expiry: aging and activity modes, as negative transactions, idempotent.

See docs/vendors/tallymarks.md §9.4.
"""

from __future__ import annotations

from typing import Any

import httpx

from tests.sandbox.tallymarks.tm_support import (
    ACME,
    client_for,
    create_customer,
    guid,
    new_app,
    set_clock,
    utc,
)

EXPIRE = "/_sandbox/tallymarks/expire"


async def earn(client: httpx.AsyncClient, customer_id: str, amount: int, at: str) -> None:
    body = {"eventId": guid(), "customerId": customer_id, "points": {"amount": amount}}
    response = await client.post("/api/v1/events/points", json={**body, "createdAt": at})
    assert response.status_code == 200


async def expire(client: httpx.AsyncClient, **body: Any) -> dict[str, Any]:
    response = await client.post(EXPIRE, params={"tenantId": ACME.tallymarks_tenant_id}, json=body)
    result: dict[str, Any] = response.json()
    return result


async def balance(client: httpx.AsyncClient, customer_id: str) -> int:
    amount: int = (await client.get(f"/api/v1/customers/{customer_id}/balance")).json()["amount"]
    return amount


async def fresh_customer(client: httpx.AsyncClient) -> str:
    customer_id: str = (await create_customer(client))["customerId"]
    return customer_id


async def test_aging_expires_points_earned_before_the_period() -> None:
    app = new_app()
    set_clock(app, utc(2020, 1, 1))
    async with client_for(app) as client:
        cid = await fresh_customer(client)
        await earn(client, cid, 100, "2020-01-02T00:00:00Z")
        await earn(client, cid, 50, "2022-06-01T00:00:00Z")
        # last anniversary 2023-01-01; 24 months before it = 2021-01-01
        result = await expire(client, asOf="2023-01-02T00:00:00Z", mode="aging", periodMonths=24)
        again = await expire(client, asOf="2023-01-02T00:00:00Z", mode="aging", periodMonths=24)
        points = await balance(client, cid)
        expiry = (
            await client.get(
                "/api/v1/customers/transactions", params={"customerId": cid, "keyword": "expired"}
            )
        ).json()["customerTransactions"]
    assert result == {"customers": 1, "pointsExpired": 100, "mode": "aging"}
    assert again["customers"] == 0
    assert points == 50
    assert [(t["amount"], t["createdAt"], t["eventId"]) for t in expiry] == [
        (-100, "2023-01-01T00:00:00.000Z", None)
    ]


async def test_aging_counts_points_already_spent() -> None:
    app = new_app()
    set_clock(app, utc(2020, 1, 1))
    async with client_for(app) as client:
        cid = await fresh_customer(client)
        await earn(client, cid, 100, "2020-01-02T00:00:00Z")
        await earn(client, cid, -70, "2020-02-01T00:00:00Z")
        result = await expire(client, asOf="2023-01-02T00:00:00Z", mode="aging", periodMonths=24)
        points = await balance(client, cid)
    assert result["pointsExpired"] == 30
    assert points == 0


async def test_activity_expires_everything_after_a_quiet_period() -> None:
    app = new_app()
    set_clock(app, utc(2020, 1, 1))
    async with client_for(app) as client:
        quiet = await fresh_customer(client)
        active = await fresh_customer(client)
        await earn(client, quiet, 80, "2020-03-01T00:00:00Z")
        await earn(client, active, 80, "2020-03-01T00:00:00Z")
        await earn(client, active, 5, "2021-06-01T00:00:00Z")
        # last anniversary 2022-01-01; nothing earned by `quiet` since 2021-01-01
        result = await expire(client, asOf="2022-02-01T00:00:00Z", mode="activity", periodMonths=12)
        balances = (await balance(client, quiet), await balance(client, active))
    assert (result["customers"], result["pointsExpired"]) == (1, 80)
    assert balances == (0, 85)

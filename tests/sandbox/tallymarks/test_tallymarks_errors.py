"""Every failure speaks the Tallymarks error body: unknown routes, 405, 500; .NET-style routing."""

from __future__ import annotations

import pytest

from sandbox.tallymarks.store import TenantData
from tests.sandbox.tallymarks.tm_support import ACME, client_for, error, new_app

CUSTOMER = ACME.customers[0].customer_id


async def test_an_unknown_route_is_404() -> None:
    async with client_for(new_app()) as client:
        response = await client.get("/api/v2/customers")
    assert response.status_code == 404
    assert response.json() == error("NotFound", "Not Found", "No resource at /api/v2/customers.")


async def test_a_wrong_method_is_405() -> None:
    async with client_for(new_app()) as client:
        response = await client.delete(f"/api/v1/customers/{CUSTOMER}")
        collection = await client.put("/api/v1/customers", json={})
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, PATCH"
    assert collection.headers["allow"] == "GET, POST"
    assert response.json() == error(
        "MethodNotAllowed",
        "Method Not Allowed",
        f"DELETE is not allowed on /api/v1/customers/{CUSTOMER}.",
    )


async def test_an_unexpected_failure_is_the_vendors_500(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(self: TenantData, customer_id: str) -> tuple[int, object]:
        raise RuntimeError("boom")

    monkeypatch.setattr(TenantData, "balance", broken)
    async with client_for(new_app()) as client:
        response = await client.get(f"/api/v1/customers/{CUSTOMER}/balance")
    assert response.status_code == 500
    assert response.json() == error(
        "InternalServerError", "An unexpected error occurred.", "The server failed to respond."
    )


async def test_route_segments_and_query_names_are_case_insensitive() -> None:
    async with client_for(new_app()) as client:
        profile = await client.get(f"/API/V1/Customers/{CUSTOMER.upper()}")
        page = await client.get("/api/v1/customers", params={"LIMIT": "2", "KeyWord": ""})
    assert (profile.status_code, profile.json()["customerId"]) == (200, CUSTOMER)
    assert len(page.json()["customers"]) == 2


async def test_case_sensitivity_can_be_switched_on() -> None:
    async with client_for(new_app(case_insensitive_input=False)) as client:
        profile = await client.get(f"/API/V1/Customers/{CUSTOMER}")
        created = await client.post(
            "/api/v1/customers", json={"CustomerId": "9f1b5e0c-1d2e-4f3a-8b4c-5d6e7f8a9b0c"}
        )
    assert profile.status_code == 404
    assert created.json()["errors"][0]["param"] == "customerId"


async def test_the_openapi_docs_work() -> None:
    async with client_for(new_app()) as client:
        docs = await client.get("/docs")
        spec = await client.get("/openapi.json")
    paths = spec.json()["paths"]
    assert docs.status_code == 200
    assert {
        "/api/v1/customers",
        "/api/v1/customers/{customerId}",
        "/api/v1/customers/{customerId}/balance",
        "/api/v1/customers/events",
        "/api/v1/customers/transactions",
        "/api/v1/customers/{customerId}/segments",
        "/api/v1/customers/{customerId}/segments/{segmentId}",
        "/api/v1/events/actions",
        "/api/v1/events/orders",
        "/api/v1/events/transactions",
        "/api/v1/events/points",
        "/api/v1/events/redemptions",
        "/api/v1/events/baskets",
    } <= set(paths)


async def test_requests_are_counted_under_their_route_template() -> None:
    app = new_app()
    async with client_for(app) as client:
        await client.get(f"/api/v1/customers/{CUSTOMER}")
        await client.get("/api/v1/customers/events")
        counters = (await client.get("/_sandbox/counters")).json()
    assert counters["endpoints"] == {
        "GET /api/v1/customers/{customerId}": 1,
        "GET /api/v1/customers/events": 1,
    }

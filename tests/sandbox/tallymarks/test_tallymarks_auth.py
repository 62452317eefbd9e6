"""Authentication (three headers) and tenant isolation (docs/vendors/tallymarks.md §1.2, §9.1)."""

from __future__ import annotations

import pytest

from tests.sandbox.tallymarks.tm_support import (
    ACME,
    GLOBEX,
    client_for,
    creds,
    error,
    new_app,
)

CUSTOMER = ACME.customers[0].customer_id


def unauthorized(detail: str) -> dict[str, object]:
    return error("Unauthorized", "Missing or incorrect credentials.", detail)


@pytest.mark.parametrize("header", ["x-tenant-id", "x-api-key", "x-api-secret"])
async def test_a_missing_header_is_401(header: str) -> None:
    # given the credentials without one header
    headers = {k: v for k, v in creds(ACME).items() if k != header}
    async with client_for(new_app()) as client:
        client.headers.clear()
        # when
        response = await client.get(f"/api/v1/customers/{CUSTOMER}", headers=headers)
    # then
    assert response.status_code == 401
    assert response.json() == unauthorized(f"The {header} header is missing.")


@pytest.mark.parametrize(
    "override",
    [
        {"x-api-secret": "wrong"},
        {"x-api-key": "wrong"},
        {"x-tenant-id": "00000000-0000-4000-8000-000000000000"},
        # key and secret of another tenant, sent with this tenant's id
        {"x-api-key": GLOBEX.tallymarks_api_key, "x-api-secret": GLOBEX.tallymarks_api_secret},
    ],
    ids=["wrong-secret", "wrong-key", "unknown-tenant", "other-tenants-key"],
)
async def test_wrong_credentials_are_401(override: dict[str, str]) -> None:
    async with client_for(new_app()) as client:
        response = await client.get(f"/api/v1/customers/{CUSTOMER}", headers=override)
    assert response.status_code == 401
    assert response.json() == unauthorized("The API key and secret are not valid for this tenant.")


async def test_auth_comes_before_routing_and_validation() -> None:
    # given no credentials at all, on an unknown route and on a malformed body
    async with client_for(new_app()) as client:
        client.headers.clear()
        unknown = await client.get("/api/v1/nothing-here")
        malformed = await client.post(
            "/api/v1/customers", content=b"{", headers={"content-type": "application/json"}
        )
    assert unknown.status_code == malformed.status_code == 401


async def test_responses_echo_the_callers_tenant() -> None:
    async with client_for(new_app()) as client:
        customer = (await client.get(f"/api/v1/customers/{CUSTOMER}")).json()
        balance = (await client.get(f"/api/v1/customers/{CUSTOMER}/balance")).json()
    assert customer["tenantId"] == balance["tenantId"] == ACME.tallymarks_tenant_id


async def test_another_tenants_customer_is_not_found() -> None:
    # given globex's credentials and an acme customer id
    async with client_for(new_app(), GLOBEX) as client:
        get = await client.get(f"/api/v1/customers/{CUSTOMER}")
        balance = await client.get(f"/api/v1/customers/{CUSTOMER}/balance")
        segments = await client.get(f"/api/v1/customers/{CUSTOMER}/segments")
        patch = await client.patch(f"/api/v1/customers/{CUSTOMER}", json={"firstName": "X"})
        events = await client.get("/api/v1/customers/events", params={"customerId": CUSTOMER})
        search = await client.get("/api/v1/customers", params={"limit": 100})
    # then reads are 404, PATCH is the documented 400, searches never leak acme data
    not_found = error(
        "CustomerNotFound",
        "Customer Not Found",
        f"No customer {CUSTOMER} in this tenant.",
        [{"message": "Customer Not Found", "param": "customerId", "value": CUSTOMER}],
    )
    assert (get.status_code, get.json()) == (404, not_found)
    assert (balance.status_code, balance.json()) == (404, not_found)
    assert (segments.status_code, segments.json()) == (404, not_found)
    assert (patch.status_code, patch.json()) == (400, not_found)
    assert events.json() == {"events": [], "offsetKey": None}
    ids = {c["customerId"] for c in search.json()["customers"]}
    assert ids == {c.customer_id for c in GLOBEX.customers}


async def test_the_same_event_id_is_independent_per_tenant() -> None:
    # given one eventId sent to both tenants
    body = {
        "eventId": "5b0c7c52-6f3e-4a51-9d2b-0d6f7e8a9b10",
        "customerId": "3c1d2e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f",
        "nameSpace": "App.Login",
        "action": {},
    }
    app = new_app()
    async with client_for(app, ACME) as acme, client_for(app, GLOBEX) as globex:
        first = await acme.post("/api/v1/events/actions", json=body)
        second = await globex.post("/api/v1/events/actions", json=body)
    assert (first.status_code, second.status_code) == (200, 200)
    assert second.json()["tenantId"] == GLOBEX.tallymarks_tenant_id

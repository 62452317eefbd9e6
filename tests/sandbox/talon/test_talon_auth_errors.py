"""Authentication, Application scoping and the Talon error bodies for malformed requests."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from sandbox.demo_world import DemoTenant, DemoWorld
from sandbox.talon.campaigns import campaign_ids
from sandbox.talon.demo_data import management_token
from tests.sandbox.talon.conftest import BASE_URL
from tests.sandbox.talon.helpers import (
    CART,
    UNAUTHORIZED,
    inventory,
    not_found,
    plain_400,
    put_session,
    status_400,
)

ENDPOINTS: list[tuple[str, str, dict[str, Any] | None]] = [
    ("PUT", "/v2/customer_profiles/p1", {}),
    ("PUT", "/v2/customer_profiles", {"customerProfiles": []}),
    ("DELETE", "/v1/customer_data/p1", None),
    ("GET", "/v1/customer_profiles/p1/inventory", None),
    ("PUT", "/v2/customer_sessions/s1", {"customerSession": {}}),
    ("GET", "/v2/customer_sessions/s1", None),
    ("POST", "/v2/customer_sessions/s1/returns", {"return": {"returnedCartItems": []}}),
    ("POST", "/v1/events", {"type": "app_opened", "attributes": {}, "sessionId": "s1"}),
    ("POST", "/v2/events", {"profileId": "p1", "type": "app_opened"}),
    ("POST", "/v1/coupon_reservations/WELCOME10", {"integrationIDs": []}),
    ("DELETE", "/v1/coupon_reservations/WELCOME10", {"integrationIDs": []}),
    ("GET", "/v1/coupon_reservations/customerprofiles/WELCOME10", None),
    ("POST", "/v1/referrals", {"campaignId": 1, "advocateProfileIntegrationId": "p1"}),
    ("POST", "/v1/referrals_for_multiple_advocates", {}),
    ("POST", "/v2/audiences", {"name": "x"}),
    ("PUT", "/v2/audiences/1", {"name": "x"}),
    ("DELETE", "/v2/audiences/1", None),
    ("DELETE", "/v2/audiences/1/memberships", None),
    ("PUT", "/v2/audience_customers/1/attributes", {}),
    ("POST", "/v2/customer_audiences", {}),
    ("PUT", "/v1/customer_profiles/p1", {}),
    ("PUT", "/v1/customer_sessions/s1", {}),
]


@pytest.mark.parametrize(("method", "path", "body"), ENDPOINTS)
async def test_every_endpoint_needs_a_valid_api_key(
    anon: httpx.AsyncClient, method: str, path: str, body: dict[str, Any] | None
) -> None:
    missing = await anon.request(method, path, json=body)
    wrong = await anon.request(method, path, json=body, headers={"Authorization": "ApiKey-v1 nope"})
    scheme = await anon.request(method, path, json=body, headers={"Authorization": "Bearer nope"})

    for response in (missing, wrong, scheme):
        assert response.status_code == 401
        assert response.json() == UNAUTHORIZED


async def test_auth_is_checked_before_the_body(anon: httpx.AsyncClient) -> None:
    response = await anon.put(
        "/v2/customer_sessions/s1", content=b"{nope", headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 401
    assert response.json() == UNAUTHORIZED


async def test_bearer_management_token_is_accepted_on_the_audience_deletes_only(
    world: DemoWorld, tenant: DemoTenant, anon: httpx.AsyncClient
) -> None:
    bearer = {"Authorization": f"Bearer {management_token(world.seed, tenant)}"}
    audience = tenant.talon_account_id  # not an audience id: the auth step comes first
    memberships = await anon.delete(f"/v2/audiences/{audience}/memberships", headers=bearer)
    elsewhere = await anon.put(f"/v2/audiences/{audience}", json={"name": "x"}, headers=bearer)

    assert memberships.status_code == 404
    assert memberships.json() == not_found("audience")
    assert elsewhere.status_code == 401


async def test_bearer_can_be_switched_off(
    app: FastAPI, world: DemoWorld, tenant: DemoTenant
) -> None:
    app.state.talon.options = app.state.talon.options.model_copy(
        update={"accept_bearer_on_audience_deletes": False}
    )
    headers = {"Authorization": f"Bearer {management_token(world.seed, tenant)}"}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE_URL) as c:
        response = await c.delete("/v2/audiences/1", headers=headers)

    assert response.status_code == 401


async def test_another_applications_data_is_invisible(
    client: httpx.AsyncClient, other_client: httpx.AsyncClient, tenant: DemoTenant
) -> None:
    customer = tenant.customers[0].customer_id
    await put_session(client, "scoped-session", profileId=customer, cartItems=CART)
    other_referral_campaign = campaign_ids(tenant.talon_application_id).referral

    profile = await other_client.get(f"/v1/customer_profiles/{customer}/inventory")
    session = await other_client.get("/v2/customer_sessions/scoped-session")
    reserved = await client.get("/v1/coupon_reservations/customerprofiles/SINGLE-USE")
    other_reserved = await other_client.get("/v1/coupon_reservations/customerprofiles/SINGLE-USE")
    own_code = (await inventory(client, tenant.customers[1].customer_id, coupons=True))["coupons"][
        0
    ]
    foreign_code = await other_client.get(
        f"/v1/coupon_reservations/customerprofiles/{own_code['value']}"
    )
    referral = await other_client.post(
        "/v1/referrals",
        json={"campaignId": other_referral_campaign, "advocateProfileIntegrationId": customer},
    )

    assert profile.status_code == 404
    assert profile.json() == not_found("customerProfile")
    assert session.status_code == 404
    assert reserved.json()["data"][0]["integrationId"] == customer
    assert customer not in [p["integrationId"] for p in other_reserved.json()["data"]]
    assert foreign_code.status_code == 404
    assert foreign_code.json() == not_found("coupon")
    assert referral.status_code == 400
    assert referral.json() == plain_400("Not found", pointer="/campaignId")


async def test_malformed_json_gets_the_operations_400_body(client: httpx.AsyncClient) -> None:
    headers = {"Content-Type": "application/json"}
    session = await client.put("/v2/customer_sessions/s", content=b"{nope", headers=headers)
    profile = await client.put("/v2/customer_profiles/p", content=b"{nope", headers=headers)

    assert session.status_code == 400
    assert session.json() == plain_400("Invalid JSON", pointer="")
    assert profile.status_code == 400
    assert profile.json() == status_400("Invalid JSON", pointer="")


@pytest.mark.parametrize(
    ("session", "title", "pointer"),
    [
        ({"state": "paused"}, "enum", "/customerSession/state"),
        (
            {"cartItems": [{"name": "a", "sku": "b", "quantity": "2", "price": 1}]},
            "Invalid type",
            "/customerSession/cartItems/0/quantity",
        ),
        (
            {"cartItems": [{"name": "a", "sku": "b", "quantity": 0, "price": 1}]},
            "minimum",
            "/customerSession/cartItems/0/quantity",
        ),
        (
            {"cartItems": [{"name": "a", "sku": "b", "quantity": 1}]},
            "required",
            "/customerSession/cartItems/0/price",
        ),
        (
            {"cartItems": [{"name": "a", "sku": "b", "quantity": 1, "price": "9"}]},
            "Invalid type",
            "/customerSession/cartItems/0/price",
        ),
        ({"couponCodes": ["C" * 101]}, "maxLength", "/customerSession/couponCodes/0"),
        ({"referralCode": "R" * 101}, "maxLength", "/customerSession/referralCode"),
        (
            {"identifiers": ["a", "b", "c", "d", "e", "f"]},
            "maxItems",
            "/customerSession/identifiers",
        ),
        ({"loyaltyCards": ["a", "b"]}, "maxItems", "/customerSession/loyaltyCards"),
        ({"profileId": 42}, "Invalid type", "/customerSession/profileId"),
        ({"attributes": []}, "Invalid type", "/customerSession/attributes"),
    ],
)
async def test_bad_session_input_gets_error_response_with_pointer(
    client: httpx.AsyncClient, session: dict[str, Any], title: str, pointer: str
) -> None:
    response = await put_session(client, "bad-input", **session)

    assert response.status_code == 400
    assert response.json() == plain_400(title, pointer=pointer)


async def test_cart_of_more_than_1000_items_is_rejected(client: httpx.AsyncClient) -> None:
    item = {"name": "Sock", "sku": "ACC-SCK-03", "quantity": 1, "price": 1.0}

    at_limit = await put_session(client, "cart-1000", cartItems=[item] * 1000)
    over = await put_session(client, "cart-1001", cartItems=[item] * 1001)

    assert at_limit.status_code == 200
    assert over.status_code == 400
    assert over.json() == plain_400("maxItems", pointer="/customerSession/cartItems")


async def test_missing_body_and_bad_query_parameter(client: httpx.AsyncClient) -> None:
    missing = await client.put("/v2/customer_sessions/s", json={})
    bad_dry = await client.put("/v2/customer_sessions/s?dry=maybe", json={"customerSession": {}})
    bad_id = await client.put("/v2/audiences/abc", json={"name": "x"})

    assert missing.json() == plain_400("required", pointer="/customerSession")
    assert bad_dry.status_code == 400
    assert bad_dry.json() == plain_400("Invalid type", parameter="dry")
    assert bad_id.status_code == 400
    assert bad_id.json() == status_400("Invalid type", parameter="audienceId")


async def test_unknown_route_and_method_get_talon_bodies(client: httpx.AsyncClient) -> None:
    unknown = await client.get("/v2/nothing-here")
    method = await client.patch("/v2/customer_sessions/s")

    assert unknown.status_code == 404
    assert unknown.json() == {"message": "Not Found", "errors": [], "StatusCode": 404}
    assert method.status_code == 405
    assert method.json() == {"message": "Method Not Allowed", "errors": [], "StatusCode": 405}


async def test_unexpected_failure_gets_a_talon_500(
    app: FastAPI, tenant: DemoTenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("kaput")

    monkeypatch.setattr("sandbox.talon.routes_sessions.find_session", boom)
    headers = {"Authorization": f"ApiKey-v1 {tenant.talon_api_key}"}
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url=BASE_URL, headers=headers
    ) as c:
        response = await c.get("/v2/customer_sessions/anything")

    assert response.status_code == 500
    assert response.json() == {
        "message": "Internal server error",
        "errors": [
            {
                "title": "Internal server error",
                "details": "An unexpected error occurred.",
                "source": {},
            }
        ],
        "StatusCode": 500,
    }

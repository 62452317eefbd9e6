"""Tallymarks answers in its own error body where the framework would not: an undecodable body
and a trailing slash."""

from __future__ import annotations

from tests.sandbox.tallymarks.tm_support import ACME, client_for, creds, error, new_app

CUSTOMER = ACME.customers[0].customer_id
INVALID_JSON = error(
    "InvalidJson",
    "Invalid request body.",
    "The request body is not valid JSON.",
    [{"message": "The request body is not valid JSON.", "param": "body", "value": ""}],
)


async def test_an_undecodable_body_is_the_invalid_json_error() -> None:
    async with client_for(new_app()) as client:
        response = await client.post(
            "/api/v1/customers",
            content=b"\xff\xfe\x00{",
            headers={"content-type": "application/json"},
        )
    assert response.status_code == 400
    assert response.json() == INVALID_JSON


async def test_a_trailing_slash_is_a_404_after_authentication() -> None:
    async with client_for(new_app()) as client:
        found = await client.get("/api/v1/customers/")
        anonymous = await client.get("/api/v1/customers/", headers=dict.fromkeys(creds(ACME), ""))
    assert found.status_code == 404
    assert "location" not in found.headers
    assert found.json() == error("NotFound", "Not Found", "No resource at /api/v1/customers/.")
    assert anonymous.status_code == 401
    assert anonymous.json()["code"] == "Unauthorized"


async def test_a_trailing_slash_can_name_the_same_route() -> None:
    async with client_for(new_app(trailing_slash="same_route")) as client:
        with_slash = await client.get(f"/api/v1/customers/{CUSTOMER}/")
        without = await client.get(f"/api/v1/customers/{CUSTOMER}")
    assert with_slash.status_code == 200
    assert with_slash.json() == without.json()

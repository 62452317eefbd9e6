"""Audiences of the account and their memberships (docs/vendors/talon.md §5.16)."""

from __future__ import annotations

from typing import Any
from unittest.mock import ANY

import httpx
import pytest

from sandbox.demo_world import DemoTenant
from tests.sandbox.talon.helpers import inventory, not_found, status_400


async def _create(client: httpx.AsyncClient, **body: Any) -> dict[str, Any]:
    response = await client.post("/v2/audiences", json=body)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def _members(client: httpx.AsyncClient, profile_id: str) -> list[int]:
    profile = (await inventory(client, profile_id, profile=True))["profile"]
    return [a["id"] for a in profile["audienceMemberships"]]


async def test_create_audience(client: httpx.AsyncClient, tenant: DemoTenant) -> None:
    plain = await _create(client, name="Hikers")
    synced = await _create(
        client,
        name="From mParticle",
        integration="mparticle",
        integrationId="mp-1",
        description="synced",
        createdIn3rdParty=True,
    )

    assert plain["name"] == "Hikers"
    assert plain["accountId"] == tenant.talon_account_id
    assert isinstance(plain["id"], int)
    assert plain["created"].endswith("Z")
    assert (synced["integration"], synced["integrationId"], synced["createdIn3rdParty"]) == (
        "mparticle",
        "mp-1",
        True,
    )
    assert synced["description"] == "synced"


async def test_duplicate_integration_id_is_409(
    client: httpx.AsyncClient, other_client: httpx.AsyncClient
) -> None:
    await _create(client, name="Segment A", integration="segment", integrationId="seg-42")

    duplicate = await client.post(
        "/v2/audiences",
        json={"name": "Segment B", "integration": "segment", "integrationId": "seg-42"},
    )
    other_platform = await client.post(
        "/v2/audiences", json={"name": "mP", "integration": "mparticle", "integrationId": "seg-42"}
    )
    other_account = await other_client.post(
        "/v2/audiences", json={"name": "B", "integration": "segment", "integrationId": "seg-42"}
    )
    demo_duplicate = await client.post(
        "/v2/audiences",
        json={"name": "Again", "integration": "segment", "integrationId": "seg-high-intent"},
    )

    assert duplicate.status_code == 409
    assert duplicate.json() == {
        "message": "An audience with this integrationId already exists for this integration.",
        "errors": [{"title": "Conflict", "details": ANY, "source": {"pointer": "/integrationId"}}],
        "StatusCode": 409,
    }
    assert other_platform.status_code == 201
    assert other_account.status_code == 201
    assert demo_duplicate.status_code == 409


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({}, status_400("required", pointer="/name")),
        ({"name": ""}, status_400("minLength", pointer="/name")),
        ({"name": "x", "integrationId": ""}, status_400("minLength", pointer="/integrationId")),
        ({"name": "x", "sandbox": "yes"}, status_400("Invalid type", pointer="/sandbox")),
    ],
)
async def test_create_audience_errors(
    client: httpx.AsyncClient, body: dict[str, Any], expected: dict[str, Any]
) -> None:
    response = await client.post("/v2/audiences", json=body)

    assert response.status_code == 400
    assert response.json() == expected


async def test_update_audience(client: httpx.AsyncClient, other_client: httpx.AsyncClient) -> None:
    audience = await _create(client, name="Old name")

    renamed = await client.put(f"/v2/audiences/{audience['id']}", json={"name": "New name"})
    foreign = await other_client.put(f"/v2/audiences/{audience['id']}", json={"name": "Hijack"})
    unknown = await client.put("/v2/audiences/987654", json={"name": "x"})

    assert renamed.status_code == 200
    assert renamed.json() == {**audience, "name": "New name"}
    assert foreign.status_code == 404
    assert foreign.json() == not_found("audience")
    assert unknown.json() == not_found("audience")


async def test_memberships_attributes_and_deletion(
    client: httpx.AsyncClient, tenant: DemoTenant
) -> None:
    audience = (await _create(client, name="Members"))["id"]
    known, fresh = tenant.customers[18].customer_id, "audience-newcomer"

    added = await client.post(
        "/v2/customer_audiences",
        json={
            "data": [
                {"action": "add", "profileIntegrationId": known, "audienceId": audience},
                {"action": "add", "profileIntegrationId": fresh, "audienceId": audience},
            ]
        },
    )
    attrs = await client.put(
        f"/v2/audience_customers/{audience}/attributes",
        json={"Segment": "members", "Newsletter": True},
    )
    member_profile = (await inventory(client, fresh, profile=True))["profile"]
    removed = await client.post(
        "/v2/customer_audiences",
        json={
            "data": [{"action": "delete", "profileIntegrationId": known, "audienceId": audience}]
        },
    )
    known_after_delete = await _members(client, known)
    emptied = await client.delete(f"/v2/audiences/{audience}/memberships")
    fresh_after_empty = await _members(client, fresh)
    gone = await client.delete(f"/v2/audiences/{audience}")
    gone_again = await client.delete(f"/v2/audiences/{audience}")

    assert added.status_code == 204
    assert added.content == b""
    assert attrs.status_code == 204
    assert member_profile["attributes"] == {"Segment": "members", "Newsletter": True}
    assert {"id": audience, "name": "Members"} in member_profile["audienceMemberships"]
    assert removed.status_code == 204
    assert audience not in known_after_delete
    assert emptied.status_code == 204
    assert audience not in fresh_after_empty
    assert gone.status_code == 204
    assert gone_again.status_code == 404
    assert gone_again.json() == not_found("audience")


async def test_deleting_an_audience_removes_its_memberships(
    client: httpx.AsyncClient, tenant: DemoTenant
) -> None:
    audience = (await _create(client, name="Short-lived"))["id"]
    member = tenant.customers[19].customer_id
    await client.post(
        "/v2/customer_audiences",
        json={"data": [{"action": "add", "profileIntegrationId": member, "audienceId": audience}]},
    )

    await client.delete(f"/v2/audiences/{audience}")

    assert audience not in await _members(client, member)


async def test_customer_audiences_errors(client: httpx.AsyncClient) -> None:
    item = {"action": "add", "profileIntegrationId": "p", "audienceId": 1}

    unknown = await client.post(
        "/v2/customer_audiences", json={"data": [{**item, "audienceId": 555555}]}
    )
    bad_action = await client.post(
        "/v2/customer_audiences", json={"data": [{**item, "action": "join"}]}
    )
    too_many = await client.post("/v2/customer_audiences", json={"data": [item] * 1001})
    missing = await client.post(
        "/v2/customer_audiences", json={"data": [{"action": "add", "audienceId": 1}]}
    )

    assert unknown.status_code == 404
    assert unknown.json() == not_found("audience")
    assert bad_action.json() == status_400("enum", pointer="/data/0/action")
    assert too_many.json() == status_400("maxItems", pointer="/data")
    assert missing.json() == status_400("required", pointer="/data/0/profileIntegrationId")


async def test_audience_attribute_update_errors(client: httpx.AsyncClient) -> None:
    audience = (await _create(client, name="Attr"))["id"]

    unknown_audience = await client.put(
        "/v2/audience_customers/555555/attributes", json={"City": "x"}
    )
    unknown_attribute = await client.put(
        f"/v2/audience_customers/{audience}/attributes", json={"Shoe": 1}
    )
    not_an_object = await client.put(f"/v2/audience_customers/{audience}/attributes", json=[1])

    assert unknown_audience.json() == not_found("audience")
    assert unknown_attribute.json() == status_400("Unknown", pointer="/Shoe")
    assert not_an_object.json() == status_400("Invalid type", pointer="")


async def test_demo_audiences_have_members(client: httpx.AsyncClient, tenant: DemoTenant) -> None:
    memberships = [
        (await inventory(client, c.customer_id, profile=True))["profile"]["audienceMemberships"]
        for c in tenant.customers
    ]

    names = {a["name"] for ms in memberships for a in ms}
    assert {"Lapsed customers", "Newsletter subscribers"} <= names
    vip = [
        c
        for c, ms in zip(tenant.customers, memberships, strict=True)
        if any(a["name"] == "VIP customers" for a in ms)
    ]
    assert all(c.tier in ("gold", "platinum") for c in vip)

"""Audience writes (Talon.One)."""

from __future__ import annotations

from typing import Any

from strawberry import relay

from tests.schema.gateway_harness import Harness

CREATE = """
mutation($input: CreateAudienceInput!) {
  createAudience(input: $input) {
    audience { id audienceId name source } description integration integrationId createdAt
  }
}
"""
RENAME = """
mutation($id: ID!, $name: String!) {
  updateAudience(id: $id, name: $name) { audience { audienceId name } }
}
"""
MEMBERSHIPS = """
mutation($changes: [AudienceMembershipChangeInput!]!) {
  updateAudienceMemberships(changes: $changes) { changed customers { customerId } }
}
"""
AUDIENCES = "query($id: ID!) { customer(id: $id) { audiences { audienceId name } } }"


async def create(gw: Harness, name: str, **extra: Any) -> int:
    body = await gw.query(CREATE, {"input": {"name": name, **extra}})
    audience_id: int = body["data"]["createAudience"]["audience"]["audienceId"]
    return audience_id


async def test_create_an_audience(gw: Harness) -> None:
    body = await gw.query(
        CREATE,
        {"input": {"name": "Runners", "integration": "segment", "integrationId": "seg-runners"}},
    )

    payload = body["data"]["createAudience"]
    assert payload["audience"]["name"] == "Runners"
    assert payload["audience"]["source"] == "PROMOTIONS"
    assert (payload["integration"], payload["integrationId"]) == ("segment", "seg-runners")
    assert gw.endpoints("talon") == {"POST /v2/audiences": 1}


async def test_mirroring_one_platform_audience_twice_is_a_conflict(gw: Harness) -> None:
    mirror = {"name": "Hikers", "integration": "segment", "integrationId": "seg-hikers"}
    await gw.query(CREATE, {"input": mirror})

    again = await gw.query(CREATE, {"input": mirror})
    half = await gw.query(CREATE, {"input": {"name": "X", "integration": "segment"}})
    blank = await gw.query(CREATE, {"input": {"name": ""}})

    assert again["errors"][0]["extensions"]["code"] == "CONFLICT"
    assert half["errors"][0]["extensions"]["argument"] == "input.integration"
    assert blank["errors"][0]["extensions"]["argument"] == "input.name"


async def test_rename_by_number_or_global_id(gw: Harness) -> None:
    number = await create(gw, "Walkers")
    global_id = relay.to_base64("Audience", str(number))

    by_number = await gw.query(RENAME, {"id": str(number), "name": "Strollers"})
    by_global = await gw.query(RENAME, {"id": global_id, "name": "Ramblers"})
    bad = await gw.query(RENAME, {"id": "seven", "name": "X"})

    assert by_number["data"]["updateAudience"]["audience"] == {
        "audienceId": number,
        "name": "Strollers",
    }
    assert by_global["data"]["updateAudience"]["audience"]["name"] == "Ramblers"
    assert bad["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "argument": "id"}


async def test_membership_changes_show_in_the_next_read(gw: Harness) -> None:
    person = gw.acme.customers[35].customer_id
    number = await create(gw, "Climbers")
    await gw.query(AUDIENCES, {"id": person})  # warm the cache
    gw.reset_calls()

    body = await gw.query(
        MEMBERSHIPS,
        {"changes": [{"customerId": person, "audienceId": str(number), "action": "ADD"}]},
    )
    after = await gw.query(AUDIENCES, {"id": person})

    assert body["data"]["updateAudienceMemberships"]["changed"] == 1
    assert {"audienceId": number, "name": "Climbers"} in after["data"]["customer"]["audiences"]
    assert gw.endpoints("talon") == {
        "POST /v2/customer_audiences": 1,
        "GET /v1/customer_profiles/{integrationId}/inventory": 1,
    }

    await gw.query(
        MEMBERSHIPS,
        {"changes": [{"customerId": person, "audienceId": str(number), "action": "REMOVE"}]},
    )
    removed = await gw.query(AUDIENCES, {"id": person})
    assert {"audienceId": number, "name": "Climbers"} not in removed["data"]["customer"][
        "audiences"
    ]


async def test_member_attributes_clearing_and_deleting(gw: Harness) -> None:
    person = gw.acme.customers[36].customer_id
    number = await create(gw, "Swimmers")
    await gw.query(
        MEMBERSHIPS,
        {"changes": [{"customerId": person, "audienceId": str(number), "action": "ADD"}]},
    )
    gw.reset_calls()

    attributes = await gw.query(
        'mutation($id: ID!) { setAudienceMemberAttributes(id: $id, attributes: {City: "Leiden"}) '
        "{ audienceId } }",
        {"id": str(number)},
    )
    cleared = await gw.query(
        "mutation($id: ID!) { clearAudienceMembers(id: $id) { audienceId } }", {"id": str(number)}
    )
    deleted = await gw.query(
        "mutation($id: ID!) { deleteAudience(id: $id) { audienceId } }", {"id": str(number)}
    )
    gone = await gw.query(
        "mutation($id: ID!) { deleteAudience(id: $id) { audienceId } }", {"id": str(number)}
    )

    assert attributes["data"]["setAudienceMemberAttributes"] == {"audienceId": number}
    assert cleared["data"]["clearAudienceMembers"] == {"audienceId": number}
    assert deleted["data"]["deleteAudience"] == {"audienceId": number}
    assert gone["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert gw.endpoints("talon") == {
        "PUT /v2/audience_customers/{audienceId}/attributes": 1,
        "DELETE /v2/audiences/{audienceId}/memberships": 1,
        "DELETE /v2/audiences/{audienceId}": 2,
    }


async def test_bad_membership_changes_name_the_argument(gw: Harness) -> None:
    person = gw.acme.customers[36].customer_id

    empty = await gw.query(MEMBERSHIPS, {"changes": []})
    bad_id = await gw.query(
        MEMBERSHIPS, {"changes": [{"customerId": person, "audienceId": "x", "action": "ADD"}]}
    )
    no_attrs = await gw.query(
        "mutation { setAudienceMemberAttributes(id: 1, attributes: {}) { audienceId } }"
    )

    assert empty["errors"][0]["extensions"]["argument"] == "changes"
    assert bad_id["errors"][0]["extensions"]["argument"] == "changes[0].audienceId"
    assert no_attrs["errors"][0]["extensions"]["argument"] == "attributes"
    assert gw.calls() == 0

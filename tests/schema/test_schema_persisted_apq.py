"""Apollo automatic persisted queries, over POST and GET, through the real ASGI app."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from gateway.persisted.apq import sha256_hex
from gateway.persisted.memory_store import InMemoryPersistedQueryStore
from gateway.settings import GatewaySettings
from tests.schema.gateway_harness import Harness, harness

QUERY = "query Person($id: ID!) { customer(id: $id) { customerId displayName } }"
MUTATION = """mutation Release($id: ID!) {
  releaseCoupon(value: "X", customerIds: [$id]) { customers { customerId } }
}"""
NO_CACHE = "private, no-cache, must-revalidate"

#: the stores the plugged-in factory made (tests/…:plugged_store), newest last
PLUGGED: list[InMemoryPersistedQueryStore] = []


def plugged_store(settings: GatewaySettings) -> InMemoryPersistedQueryStore:
    """A store plugged in through ``CG_APQ_STORE=module:factory``."""
    PLUGGED.append(InMemoryPersistedQueryStore(settings.apq_store_max_entries))
    return PLUGGED[-1]


def persisted(sha256_hash: str, version: int = 1) -> dict[str, Any]:
    return {"persistedQuery": {"version": version, "sha256Hash": sha256_hash}}


async def post(gw: Harness, body: dict[str, Any]) -> httpx.Response:
    return await gw.client.post("/graphql", json=body, headers={"x-api-key": gw.key})


async def get(gw: Harness, params: dict[str, Any], **headers: str) -> httpx.Response:
    encoded = {k: v if isinstance(v, str) else json.dumps(v) for k, v in params.items()}
    headers = {"x-api-key": gw.key, "accept": "application/json", **headers}
    return await gw.client.get("/graphql", params=encoded, headers=headers)


@pytest.fixture
async def plugged() -> AsyncIterator[Harness]:
    settings = GatewaySettings(_env_file=None, apq_store=f"{__name__}:plugged_store")
    async with harness(settings) as h:
        yield h


async def test_an_unknown_hash_asks_for_the_text_with_200_and_no_upstream_call(
    gw: Harness,
) -> None:
    response = await post(gw, {"extensions": persisted(sha256_hex(QUERY)), "variables": {}})

    assert response.status_code == 200
    assert response.headers["cache-control"] == NO_CACHE
    assert response.json() == {
        "data": None,
        "errors": [
            {
                "message": "PersistedQueryNotFound",
                "extensions": {"code": "PERSISTED_QUERY_NOT_FOUND"},
            }
        ],
    }
    assert gw.calls() == 0


async def test_text_with_its_hash_runs_and_then_the_hash_alone_is_enough(gw: Harness) -> None:
    person = gw.acme.customers[0]
    variables = {"id": person.customer_id}
    registered = await post(
        gw, {"query": QUERY, "variables": variables, "extensions": persisted(sha256_hex(QUERY))}
    )
    gw.reset_calls()

    by_hash = await post(gw, {"variables": variables, "extensions": persisted(sha256_hex(QUERY))})

    assert registered.json() == by_hash.json()
    assert by_hash.json()["data"]["customer"]["customerId"] == person.customer_id
    assert gw.calls() == 0  # the customer read is cached across requests


async def test_a_get_by_hash_runs_the_stored_query_with_its_variables(gw: Harness) -> None:
    person = gw.acme.customers[1]
    await post(
        gw,
        {
            "query": QUERY,
            "variables": {"id": "00000000-0000-4000-8000-000000000000"},  # no such customer
            "extensions": persisted(sha256_hex(QUERY)),
        },
    )
    gw.reset_calls()

    response = await get(
        gw,
        {
            "extensions": persisted(sha256_hex(QUERY)),
            "variables": {"id": person.customer_id},
            "operationName": "Person",
        },
    )

    assert response.status_code == 200
    assert response.json() == {
        "data": {"customer": {"customerId": person.customer_id, "displayName": person.display_name}}
    }
    assert gw.endpoints("tallymarks") == {"GET /api/v1/customers/{customerId}": 1}
    assert gw.calls() == 1


async def test_a_get_can_register_the_text_too(gw: Harness) -> None:
    person = gw.acme.customers[2]
    params = {"extensions": persisted(sha256_hex(QUERY)), "variables": {"id": person.customer_id}}

    first = await get(gw, {**params, "query": QUERY})
    second = await get(gw, params)

    assert first.json() == second.json()
    assert second.json()["data"]["customer"]["customerId"] == person.customer_id


async def test_a_get_by_hash_from_any_client_is_not_the_playground_page(gw: Harness) -> None:
    response = await get(gw, {"extensions": persisted(sha256_hex(QUERY))}, accept="*/*")

    assert response.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"


async def test_a_get_by_hash_needs_credentials(gw: Harness) -> None:
    response = await gw.client.get(
        "/graphql", params={"extensions": json.dumps(persisted(sha256_hex(QUERY)))}
    )

    assert response.status_code == 401
    assert gw.calls() == 0


async def test_a_wrong_hash_is_bad_input_and_nothing_is_stored(gw: Harness) -> None:
    wrong = sha256_hex(QUERY + " ")

    response = await post(gw, {"query": QUERY, "extensions": persisted(wrong)})
    again = await post(gw, {"extensions": persisted(wrong)})

    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["message"] == "provided sha does not match query"
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert again.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
    assert gw.calls() == 0


@pytest.mark.parametrize(
    "extension",
    [
        {"persistedQuery": {"version": 2, "sha256Hash": "abc"}},
        {"persistedQuery": {"version": 1}},
        {"persistedQuery": "abc"},
    ],
)
async def test_a_malformed_extension_is_bad_input(gw: Harness, extension: dict[str, Any]) -> None:
    response = await post(gw, {"query": QUERY, "extensions": extension})

    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_an_invalid_query_is_not_stored(gw: Harness) -> None:
    invalid = "{ customer { nope } }"

    first = await post(gw, {"query": invalid, "extensions": persisted(sha256_hex(invalid))})
    again = await post(gw, {"extensions": persisted(sha256_hex(invalid))})

    assert first.json()["errors"]
    assert again.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"


async def test_a_stored_mutation_still_never_runs_over_get(plugged: Harness) -> None:
    await PLUGGED[-1].set(sha256_hex(MUTATION), MUTATION)
    variables = {"id": plugged.acme.customers[0].customer_id}

    response = await get(
        plugged, {"extensions": persisted(sha256_hex(MUTATION)), "variables": variables}
    )

    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert response.json()["errors"][0]["extensions"]["code"] == "METHOD_NOT_ALLOWED"
    assert plugged.calls() == 0


async def test_a_plugged_in_store_receives_registrations(plugged: Harness) -> None:
    person = plugged.acme.customers[0]

    await post(
        plugged,
        {
            "query": QUERY,
            "variables": {"id": person.customer_id},
            "extensions": persisted(sha256_hex(QUERY)),
        },
    )

    assert await PLUGGED[-1].get(sha256_hex(QUERY)) == QUERY


async def test_switched_off_apq_says_not_supported() -> None:
    async with harness(GatewaySettings(_env_file=None, apq_enabled=False)) as gw:
        response = await post(gw, {"query": QUERY, "extensions": persisted(sha256_hex(QUERY))})

    assert response.status_code == 200
    assert response.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_SUPPORTED"


async def test_plain_requests_are_untouched(gw: Harness) -> None:
    body = await gw.query("{ __typename }")

    assert body == {"data": {"__typename": "Query"}}

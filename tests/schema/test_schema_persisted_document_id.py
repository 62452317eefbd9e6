"""``documentId`` (GraphQL-over-HTTP persisted documents), in POST bodies and GET
parameters: from the manifest in trusted-documents mode, from the APQ store otherwise."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from gateway.persisted.apq import sha256_hex
from gateway.persisted.operations import PersistedOperations
from gateway.persisted.trusted_documents import build_manifest
from gateway.settings import GatewaySettings
from tests.schema.gateway_harness import Harness, harness

PERSON = "query Person($id: ID!) { customer(id: $id) { customerId } }"
RENAME = (
    'mutation Rename($id: ID!) { updateCustomer(id: $id, input: {firstName: "R"}, '
    'idempotencyKey: "document-id-1") { complete } }'
)
UNKNOWN = "sha256:" + "0" * 64


def document_id(query: str) -> str:
    return f"sha256:{sha256_hex(query)}"


async def post(gw: Harness, body: dict[str, Any], **headers: str) -> httpx.Response:
    headers = {"x-api-key": gw.key, **headers}
    return await gw.client.post("/graphql", json=body, headers=headers)


async def get(gw: Harness, params: dict[str, Any], **headers: str) -> httpx.Response:
    encoded = {k: v if isinstance(v, str) else json.dumps(v) for k, v in params.items()}
    headers = {"x-api-key": gw.key, "accept": "application/json", **headers}
    return await gw.client.get("/graphql", params=encoded, headers=headers)


def the_error(response: httpx.Response) -> dict[str, Any]:
    (error,) = response.json()["errors"]
    assert isinstance(error, dict)
    return error


@pytest.fixture
async def trusted(tmp_path: Path) -> AsyncIterator[Harness]:
    manifest = tmp_path / "manifest.json"
    apollo = build_manifest([PERSON, RENAME])
    apollo["operations"].append({"id": "person-v2", "body": PERSON + " ", "type": "query"})
    manifest.write_text(json.dumps(apollo))
    async with harness(GatewaySettings(_env_file=None, trusted_documents_file=manifest)) as h:
        yield h


async def test_a_manifest_document_runs_by_its_sha256_document_id(trusted: Harness) -> None:
    person = trusted.acme.customers[0].customer_id

    response = await post(trusted, {"documentId": document_id(PERSON), "variables": {"id": person}})

    assert response.status_code == 200
    assert response.json() == {"data": {"customer": {"customerId": person}}}
    assert trusted.endpoints("tallymarks") == {"GET /api/v1/customers/{customerId}": 1}


async def test_a_custom_document_id_names_a_manifest_operation_id(trusted: Harness) -> None:
    person = trusted.acme.customers[1].customer_id

    response = await post(trusted, {"documentId": "person-v2", "variables": {"id": person}})

    assert response.json() == {"data": {"customer": {"customerId": person}}}


async def test_a_get_by_document_id_runs_the_query(trusted: Harness) -> None:
    person = trusted.acme.customers[2].customer_id

    response = await get(
        trusted,
        {"documentId": document_id(PERSON), "variables": {"id": person}},
        accept="application/graphql-response+json",
    )

    assert response.status_code == 200
    assert response.json() == {"data": {"customer": {"customerId": person}}}


async def test_an_empty_operation_name_is_the_same_as_none(trusted: Harness) -> None:
    person = trusted.acme.customers[3].customer_id

    response = await get(
        trusted,
        {"documentId": document_id(PERSON), "variables": {"id": person}, "operationName": ""},
    )

    assert response.json() == {"data": {"customer": {"customerId": person}}}


async def test_a_browser_style_get_by_document_id_runs_instead_of_showing_the_playground(
    trusted: Harness,
) -> None:
    person = trusted.acme.customers[2].customer_id

    response = await get(
        trusted,
        {"documentId": document_id(PERSON), "variables": {"id": person}},
        accept="text/html,application/json;q=0.9",
    )

    assert response.json() == {"data": {"customer": {"customerId": person}}}


@pytest.mark.parametrize(
    "accept", ["application/graphql-response+json", "application/json"], ids=["gql", "json"]
)
async def test_an_unknown_document_id_is_not_found_with_404_and_no_upstream_call(
    trusted: Harness, accept: str
) -> None:
    response = await post(trusted, {"documentId": UNKNOWN}, accept=accept)

    assert response.status_code == 404
    error = the_error(response)
    assert error["extensions"] == {"code": "PERSISTED_QUERY_NOT_FOUND"}
    assert UNKNOWN in error["message"]
    assert trusted.calls() == 0


async def test_a_sha256_id_must_be_the_hash_of_the_text_not_a_custom_manifest_id(
    trusted: Harness,
) -> None:
    """``sha256:`` ids name texts by their hash; the custom id ``person-v2`` is no hash."""
    response = await post(trusted, {"documentId": f"sha256:{sha256_hex('person-v2')}"})

    assert response.status_code == 404


async def test_a_mutation_by_document_id_is_refused_over_get(trusted: Harness) -> None:
    person = trusted.acme.customers[0].customer_id

    response = await get(trusted, {"documentId": document_id(RENAME), "variables": {"id": person}})

    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert the_error(response)["extensions"]["code"] == "METHOD_NOT_ALLOWED"
    assert trusted.calls() == 0


@pytest.mark.parametrize(
    "body",
    [
        {"documentId": document_id(PERSON), "query": PERSON},
        {
            "documentId": document_id(PERSON),
            "extensions": {"persistedQuery": {"version": 1, "sha256Hash": sha256_hex(PERSON)}},
        },
    ],
    ids=["with-query", "with-persisted-query"],
)
async def test_a_document_id_with_another_way_of_naming_the_operation_is_refused(
    trusted: Harness, body: dict[str, Any]
) -> None:
    response = await post(trusted, body)

    assert response.status_code == 400
    error = the_error(response)
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "parameter": "documentId"}
    assert "once" in error["message"]
    assert trusted.calls() == 0


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("sha256:" + "A" * 64, "lower-case hex"),
        ("sha256:abc", "lower-case hex"),
        ("x-relay:abc", "'x-relay' is not supported"),
        ("md5:abc", "'md5' is not supported"),
        ("has space", "letters, digits"),
        ("", "non-empty string"),
        (42, "non-empty string"),
        ("a" * 300, "longer than"),
    ],
)
async def test_a_malformed_document_id_is_bad_user_input(
    gw: Harness, value: object, says: str
) -> None:
    response = await post(gw, {"documentId": value})

    assert response.status_code == 400
    error = the_error(response)
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "parameter": "documentId"}
    assert says in error["message"]
    assert gw.calls() == 0


async def test_with_apq_only_a_document_id_resolves_from_the_apq_store(gw: Harness) -> None:
    person = gw.acme.customers[3].customer_id
    unknown = await post(gw, {"documentId": document_id(PERSON), "variables": {"id": person}})
    registered = await post(
        gw,
        {
            "query": PERSON,
            "variables": {"id": person},
            "extensions": {"persistedQuery": {"version": 1, "sha256Hash": sha256_hex(PERSON)}},
        },
    )

    known = await post(gw, {"documentId": document_id(PERSON), "variables": {"id": person}})

    assert unknown.status_code == 404
    assert the_error(unknown)["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
    assert known.json() == registered.json() == {"data": {"customer": {"customerId": person}}}


async def test_with_apq_only_a_custom_document_id_is_unknown(gw: Harness) -> None:
    response = await post(gw, {"documentId": "person-v2"})

    assert response.status_code == 404


async def test_with_persisted_operations_off_a_document_id_is_not_supported() -> None:
    async with harness(GatewaySettings(_env_file=None, apq_enabled=False)) as gw:
        response = await post(gw, {"documentId": document_id(PERSON)})

    assert the_error(response)["extensions"] == {"code": "PERSISTED_QUERY_NOT_SUPPORTED"}


async def test_a_plain_query_is_untouched_by_document_id_support(gw: Harness) -> None:
    """A body that only names a variable documentId still runs as sent."""
    person = gw.acme.customers[0].customer_id
    response = await post(
        gw,
        {
            "query": "query Q($documentId: ID!) { customer(id: $documentId) { customerId } }",
            "variables": {"documentId": person},
        },
    )

    assert response.json() == {"data": {"customer": {"customerId": person}}}


@pytest.mark.parametrize(
    ("settings", "says"),
    [
        ({"apq_enabled": True}, "automatic persisted queries (APQ)"),
        ({"apq_enabled": False}, "off: operations run as sent"),
        ({"trusted": True}, "trusted documents (2 operations from manifest.json)"),
    ],
    ids=["apq", "off", "trusted"],
)
def test_the_mode_is_logged_once_at_startup(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, settings: dict[str, Any], says: str
) -> None:
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps(build_manifest([PERSON, RENAME])))
    file = manifest if settings.pop("trusted", False) else None
    config = GatewaySettings(_env_file=None, trusted_documents_file=file, **settings)

    with caplog.at_level(logging.INFO, logger="gateway.persisted"):
        PersistedOperations.from_settings(config)

    (record,) = [r for r in caplog.records if r.name == "gateway.persisted"]
    assert says in record.getMessage()


async def test_a_browser_style_get_by_document_id_still_needs_credentials(
    trusted: Harness,
) -> None:
    """Only the playground page is served without a key; an operation by id is not it."""
    response = await trusted.client.get(
        "/graphql", params={"documentId": document_id(PERSON)}, headers={"accept": "text/html"}
    )

    assert response.status_code == 401
    assert trusted.calls() == 0

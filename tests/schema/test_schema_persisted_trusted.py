"""Trusted documents: with a manifest configured, only its operations run."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from gateway.__main__ import main
from gateway.app import create_app
from gateway.persisted.apq import sha256_hex
from gateway.persisted.trusted_documents import TrustedDocuments, build_manifest
from gateway.playground.page import example_operations
from gateway.settings import GatewaySettings
from tests.gateway.observed import observed
from tests.schema.gateway_harness import Harness, harness

TRUSTED = "query Person($id: ID!) { customer(id: $id) { customerId } }"
UNTRUSTED = "query Person($id: ID!) { customer(id: $id) { customerId email } }"


def persisted(sha256_hash: str) -> dict[str, Any]:
    return {"persistedQuery": {"version": 1, "sha256Hash": sha256_hash}}


async def post(gw: Harness, body: dict[str, Any]) -> httpx.Response:
    return await gw.client.post("/graphql", json=body, headers={"x-api-key": gw.key})


def assert_not_allowed(response: httpx.Response) -> None:
    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert error["extensions"] == {"code": "PERSISTED_QUERY_NOT_ALLOWED"}


@pytest.fixture
async def trusted(tmp_path: Path) -> AsyncIterator[Harness]:
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps(build_manifest([TRUSTED])))
    async with harness(GatewaySettings(_env_file=None, trusted_documents_file=manifest)) as h:
        yield h


async def test_a_manifest_operation_runs_by_its_hash(trusted: Harness) -> None:
    person = trusted.acme.customers[0]

    response = await post(
        trusted,
        {"extensions": persisted(sha256_hex(TRUSTED)), "variables": {"id": person.customer_id}},
    )

    assert response.json() == {"data": {"customer": {"customerId": person.customer_id}}}
    assert trusted.endpoints("tallymarks") == {"GET /api/v1/customers/{customerId}": 1}


async def test_a_manifest_operation_runs_by_its_exact_text(trusted: Harness) -> None:
    person = trusted.acme.customers[1]

    body = await trusted.query(TRUSTED, {"id": person.customer_id})

    assert body == {"data": {"customer": {"customerId": person.customer_id}}}


async def test_any_other_text_is_refused_before_any_upstream_call(trusted: Harness) -> None:
    person = trusted.acme.customers[0]

    response = await trusted.post(UNTRUSTED, {"id": person.customer_id})

    assert_not_allowed(response)
    assert trusted.calls() == 0


async def test_an_unknown_hash_is_refused_and_cannot_be_registered(trusted: Harness) -> None:
    by_hash = await post(trusted, {"extensions": persisted(sha256_hex(UNTRUSTED))})
    registering = await post(
        trusted, {"query": UNTRUSTED, "extensions": persisted(sha256_hex(UNTRUSTED))}
    )
    again = await post(trusted, {"extensions": persisted(sha256_hex(UNTRUSTED))})

    for response in (by_hash, registering, again):
        assert_not_allowed(response)
    assert trusted.calls() == 0


async def test_a_trusted_hash_with_other_text_is_bad_input(trusted: Harness) -> None:
    response = await post(trusted, {"query": TRUSTED, "extensions": persisted("0" * 64)})

    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_introspection_is_not_in_the_manifest(trusted: Harness) -> None:
    response = await trusted.post("{ __schema { queryType { name } } }")

    assert_not_allowed(response)


async def test_a_flat_manifest_of_hash_to_text_works_too(tmp_path: Path) -> None:
    manifest = tmp_path / "flat.json"
    manifest.write_text(json.dumps({sha256_hex(TRUSTED): TRUSTED}))
    async with harness(GatewaySettings(_env_file=None, trusted_documents_file=manifest)) as gw:
        person = gw.acme.customers[0]
        allowed = await gw.query(TRUSTED, {"id": person.customer_id})
        refused = await gw.post(UNTRUSTED, {"id": person.customer_id})

    assert allowed == {"data": {"customer": {"customerId": person.customer_id}}}
    assert_not_allowed(refused)


def test_an_apollo_manifest_is_found_by_id_and_by_hash() -> None:
    manifest = {
        "format": "apollo-persisted-query-manifest",
        "version": 1,
        "operations": [{"id": "custom-id", "name": "Person", "type": "query", "body": TRUSTED}],
    }

    documents = TrustedDocuments.from_manifest(manifest)

    assert documents.document_for("custom-id") == TRUSTED
    assert documents.document_for(sha256_hex(TRUSTED)) == TRUSTED


@pytest.mark.parametrize(
    "content",
    ["not json", json.dumps([TRUSTED]), json.dumps({"format": "x", "operations": []})],
)
def test_a_broken_manifest_stops_the_gateway_at_start(tmp_path: Path, content: str) -> None:
    manifest = tmp_path / "manifest.json"
    manifest.write_text(content)

    with pytest.raises(ValueError, match="manifest"):
        create_app(GatewaySettings(_env_file=None, trusted_documents_file=manifest))


async def test_the_manifest_command_covers_the_playground_examples(tmp_path: Path) -> None:
    manifest = tmp_path / "examples.json"

    main(["manifest", "--output", str(manifest)])

    written = json.loads(manifest.read_text())
    assert written["format"] == "apollo-persisted-query-manifest"
    assert [op["body"] for op in written["operations"]] == [t for _, t in example_operations()]
    assert {op["type"] for op in written["operations"]} == {"query", "mutation"}
    assert all(op["id"] == sha256_hex(op["body"]) for op in written["operations"])


async def test_the_examples_manifest_lets_the_examples_through(tmp_path: Path) -> None:
    manifest = tmp_path / "examples.json"
    main(["manifest", "--output", str(manifest)])
    async with harness(GatewaySettings(_env_file=None, trusted_documents_file=manifest)) as gw:
        _, first_example = example_operations()[0]
        person = gw.acme.customers[0]
        body = await gw.query(first_example, {"customerId": person.customer_id})

    assert body["data"]["customer"]["customerId"] == person.customer_id


async def test_refusals_are_counted_by_reason_but_apq_misses_are_not(tmp_path: Path) -> None:
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps(build_manifest([TRUSTED])))
    reason = "cg_graphql_rejected_operations_total"
    async with observed(GatewaySettings(_env_file=None, trusted_documents_file=manifest)) as seen:
        await seen.gw.post(UNTRUSTED, {"id": "x"})
        refused = seen.metric(reason, reason="PERSISTED_QUERY_NOT_ALLOWED")
    async with observed(GatewaySettings(_env_file=None)) as seen:
        await post(seen.gw, {"extensions": persisted(sha256_hex(UNTRUSTED))})
        missed = seen.metric(reason, reason="PERSISTED_QUERY_NOT_FOUND")

    assert (refused, missed) == (1, 0)

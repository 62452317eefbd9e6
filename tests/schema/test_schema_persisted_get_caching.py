"""HTTP caching of persisted GETs: an answer built only from fresh cached reads carries
``Cache-Control: private, max-age=N`` (N: the shortest read's remaining life), ``Vary``
and an ``ETag`` that ``If-None-Match`` turns into a 304; anything else gets ``no-store``."""

from __future__ import annotations

import asyncio
import hashlib
import json
from typing import Any

import httpx

from gateway.persisted.apq import sha256_hex
from gateway.settings import DEFAULT_TTLS, GatewaySettings
from tests.schema.gateway_harness import Harness, harness

#: the customer (60 s) and its balance (15 s): the balance is the shortest read
BALANCE = "query Balance($id: ID!) { customer(id: $id) { customerId pointsBalance { points } } }"
COUPONS = "query Coupons($id: ID!) { customer(id: $id) { customerId coupons { value } } }"
RENAME = (
    'mutation Rename($id: ID!) { updateCustomer(id: $id, input: {firstName: "R"}, '
    'idempotencyKey: "get-caching-1") { complete } }'
)


def by_hash(query: str) -> dict[str, Any]:
    return {"persistedQuery": {"version": 1, "sha256Hash": sha256_hex(query)}}


async def register(gw: Harness, query: str, variables: dict[str, Any]) -> None:
    body = {"query": query, "variables": variables, "extensions": by_hash(query)}
    response = await gw.client.post("/graphql", json=body, headers={"x-api-key": gw.key})
    assert response.status_code == 200


async def get(gw: Harness, params: dict[str, Any], **headers: str) -> httpx.Response:
    encoded = {k: v if isinstance(v, str) else json.dumps(v) for k, v in params.items()}
    sent = {"x-api-key": gw.key, "accept": "application/graphql-response+json", **headers}
    return await gw.client.get("/graphql", params=encoded, headers=sent)


async def get_by_hash(
    gw: Harness, query: str, variables: dict[str, Any], **headers: str
) -> httpx.Response:
    return await get(gw, {"extensions": by_hash(query), "variables": variables}, **headers)


def max_age(response: httpx.Response) -> int:
    directives = [d.strip() for d in response.headers["cache-control"].split(",")]
    assert directives[0] == "private"
    (age,) = [d for d in directives if d.startswith("max-age=")]
    return int(age.removeprefix("max-age="))


async def test_an_answer_from_fresh_reads_is_cacheable_for_its_shortest_read(
    gw: Harness,
) -> None:
    variables = {"id": gw.acme.customers[0].customer_id}
    await register(gw, BALANCE, variables)

    response = await get_by_hash(gw, BALANCE, variables)

    assert response.status_code == 200
    assert "errors" not in response.json()
    assert 13 <= max_age(response) <= DEFAULT_TTLS["balance"] < DEFAULT_TTLS["customer"]
    vary = {v.strip().lower() for v in response.headers["vary"].split(",")}
    assert {"x-api-key", "authorization", "accept"} <= vary
    digest = hashlib.sha256(response.content).hexdigest()[:32]
    assert response.headers["etag"] == f'"{digest}"'


async def test_the_answer_from_the_response_cache_has_the_same_etag_and_less_life() -> None:
    ttls = {**DEFAULT_TTLS, "balance": 3.0}
    async with harness(GatewaySettings(_env_file=None, cache_ttls=ttls)) as gw:
        variables = {"id": gw.acme.customers[1].customer_id}
        await register(gw, BALANCE, variables)
        first = await get_by_hash(gw, BALANCE, variables)
        await asyncio.sleep(1.05)
        gw.reset_calls()

        second = await get_by_hash(gw, BALANCE, variables)

    assert gw.calls() == 0  # answered by the response cache
    assert second.content == first.content
    assert second.headers["etag"] == first.headers["etag"]
    assert max_age(first) == 2  # 3 s, less the time spent: rounded down
    assert max_age(second) == 1  # the same read, a second older


async def test_if_none_match_with_the_etag_is_answered_304_without_a_body(gw: Harness) -> None:
    variables = {"id": gw.acme.customers[2].customer_id}
    await register(gw, BALANCE, variables)
    first = await get_by_hash(gw, BALANCE, variables)
    etag = first.headers["etag"]
    gw.reset_calls()

    for held in (etag, f"W/{etag}", f'"other", {etag}', "*"):
        revalidated = await get_by_hash(gw, BALANCE, variables, **{"if-none-match": held})

        assert revalidated.status_code == 304, held
        assert revalidated.content == b""
        assert revalidated.headers["etag"] == etag
        assert max_age(revalidated) <= max_age(first)
        assert "content-type" not in revalidated.headers
    assert gw.calls() == 0


async def test_another_etag_gets_the_whole_answer(gw: Harness) -> None:
    variables = {"id": gw.acme.customers[3].customer_id}
    await register(gw, BALANCE, variables)

    response = await get_by_hash(gw, BALANCE, variables, **{"if-none-match": '"stale-copy"'})

    assert response.status_code == 200
    assert response.json()["data"]["customer"]["customerId"] == variables["id"]


async def test_a_get_by_document_id_is_cacheable_too(gw: Harness) -> None:
    variables = {"id": gw.acme.customers[4].customer_id}
    await register(gw, BALANCE, variables)

    response = await get(
        gw, {"documentId": f"sha256:{sha256_hex(BALANCE)}", "variables": variables}
    )
    again = await get(
        gw,
        {"documentId": f"sha256:{sha256_hex(BALANCE)}", "variables": variables},
        **{"if-none-match": response.headers["etag"]},
    )

    assert response.status_code == 200
    assert max_age(response) > 0
    assert again.status_code == 304


async def test_an_answer_with_errors_is_no_store(gw: Harness) -> None:
    variables = {"id": gw.acme.customers[5].customer_id}
    await register(gw, COUPONS, variables)
    gw.fault("talon", down=True)

    response = await get_by_hash(gw, COUPONS, {"id": gw.acme.customers[6].customer_id})

    assert response.json()["errors"]
    assert response.headers["cache-control"] == "no-store"
    assert "etag" not in response.headers


async def test_a_request_error_is_no_store(gw: Harness) -> None:
    await register(gw, BALANCE, {"id": gw.acme.customers[0].customer_id})

    response = await get_by_hash(gw, BALANCE, {})  # $id is required

    assert response.status_code == 400
    assert response.headers["cache-control"] == "no-store"


async def test_an_unknown_hash_is_no_store(gw: Harness) -> None:
    response = await get_by_hash(gw, "query Never { __typename }", {})

    assert response.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
    assert response.headers["cache-control"] == "no-store"


async def test_a_stale_answer_is_no_store() -> None:
    ttls = {**DEFAULT_TTLS, "balance": 0.05}
    async with harness(GatewaySettings(_env_file=None, cache_ttls=ttls)) as gw:
        variables = {"id": gw.acme.customers[7].customer_id}
        await register(gw, BALANCE, variables)
        await asyncio.sleep(0.1)
        gw.fault("tallymarks", down=True)

        response = await get_by_hash(gw, BALANCE, variables)

    body = response.json()
    assert body["data"]["customer"]["pointsBalance"] is not None
    assert body["extensions"]["stale"]
    assert response.headers["cache-control"] == "no-store"
    assert "etag" not in response.headers


async def test_a_mutation_by_get_is_refused_and_no_store(gw: Harness) -> None:
    variables = {"id": gw.acme.customers[8].customer_id}
    body = {"query": RENAME, "variables": variables, "extensions": by_hash(RENAME)}
    await gw.client.post("/graphql", json=body, headers={"x-api-key": gw.key})

    response = await get_by_hash(gw, RENAME, variables)

    assert response.status_code == 405
    assert response.headers["cache-control"] == "no-store"


async def test_queries_sent_as_text_or_by_post_get_no_caching_headers(gw: Harness) -> None:
    variables = {"id": gw.acme.customers[9].customer_id}
    await register(gw, BALANCE, variables)

    as_text = await get(gw, {"query": BALANCE, "variables": variables})
    by_post = await gw.client.post(
        "/graphql",
        json={"extensions": by_hash(BALANCE), "variables": variables},
        headers={"x-api-key": gw.key},
    )

    for response in (as_text, by_post):
        assert response.status_code == 200
        assert "etag" not in response.headers
        assert "cache-control" not in response.headers


async def test_without_the_response_cache_persisted_gets_are_not_cacheable() -> None:
    async with harness(GatewaySettings(_env_file=None, response_cache=False)) as gw:
        variables = {"id": gw.acme.customers[0].customer_id}
        await register(gw, BALANCE, variables)

        response = await get_by_hash(gw, BALANCE, variables)

    assert response.status_code == 200
    assert "etag" not in response.headers

"""GraphQL over HTTP through the ASGI app: media types, statuses, no mutation over GET,
no CSRF-able content types. The graphql-http audit (tests/e2e) checks the same against a
real server; these pin each case and its error code."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from gateway.http_compliance.negotiation import GRAPHQL_RESPONSE_JSON, JSON, negotiate
from tests.schema.gateway_harness import Harness

KEY = {"x-api-key": "key-acme"}
TYPENAME = {"query": "{ __typename }"}


async def post(gw: Harness, accept: str | None = None, **kwargs: Any) -> httpx.Response:
    headers = {**KEY, **({"accept": accept} if accept else {}), **kwargs.pop("headers", {})}
    return await gw.client.post("/graphql", headers=headers, **kwargs)


@pytest.mark.parametrize(
    ("accept", "chosen"),
    [
        (None, JSON),
        ("*/*", JSON),
        ("application/*", JSON),
        (JSON, JSON),
        (GRAPHQL_RESPONSE_JSON, GRAPHQL_RESPONSE_JSON),
        (f"{GRAPHQL_RESPONSE_JSON}, {JSON};q=0.9", GRAPHQL_RESPONSE_JSON),
        (f"{GRAPHQL_RESPONSE_JSON};q=0.5, {JSON}", JSON),
        (f"{JSON}, {GRAPHQL_RESPONSE_JSON}", GRAPHQL_RESPONSE_JSON),
        ("text/html, */*;q=0.8", JSON),
        ("text/html", None),
        (f"{JSON};q=0", None),
    ],
)
def test_negotiation(accept: str | None, chosen: str | None) -> None:
    assert negotiate(accept) == chosen


@pytest.mark.parametrize("accept", [None, "*/*", JSON, GRAPHQL_RESPONSE_JSON])
async def test_a_query_is_answered_in_the_negotiated_type(gw: Harness, accept: str | None) -> None:
    response = await post(gw, accept, json=TYPENAME)

    assert response.status_code == 200
    expected = GRAPHQL_RESPONSE_JSON if accept == GRAPHQL_RESPONSE_JSON else JSON
    assert response.headers["content-type"] == f"{expected}; charset=utf-8"
    assert response.json() == {"data": {"__typename": "Query"}}


async def test_an_unacceptable_accept_is_406(gw: Harness) -> None:
    response = await post(gw, "text/csv", json=TYPENAME)

    assert response.status_code == 406
    assert response.json()["errors"][0]["extensions"]["code"] == "NOT_ACCEPTABLE"


@pytest.mark.parametrize(
    "query",
    [
        "{",  # does not parse
        "{ nosuchfield }",  # does not validate
    ],
)
async def test_request_errors_are_400_without_data_in_graphql_response_json(
    gw: Harness, query: str
) -> None:
    response = await post(gw, GRAPHQL_RESPONSE_JSON, json={"query": query})

    assert response.status_code == 400
    assert response.headers["content-type"].startswith(GRAPHQL_RESPONSE_JSON)
    body = response.json()
    assert "data" not in body
    assert body["errors"]


async def test_a_variable_that_does_not_coerce_is_a_request_error(gw: Harness) -> None:
    query = "query($id: ID!) { customer(id: $id) { email } }"
    payload = {"query": query, "variables": {"id": None}}

    as_json = await post(gw, JSON, json=payload)
    as_graphql = await post(gw, GRAPHQL_RESPONSE_JSON, json=payload)

    assert (as_json.status_code, as_graphql.status_code) == (200, 400)
    assert gw.calls() == 0


@pytest.mark.parametrize("query", ["{", "{ nosuchfield }"])
async def test_request_errors_are_200_in_application_json(gw: Harness, query: str) -> None:
    response = await post(gw, JSON, json={"query": query})

    assert response.status_code == 200
    assert response.json()["data"] is None


async def test_limit_refusals_are_request_errors_too(gw: Harness) -> None:
    query = "{ " + " ".join(f"a{i}: __typename" for i in range(31)) + " }"

    response = await post(gw, GRAPHQL_RESPONSE_JSON, json={"query": query})

    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "TOO_MANY_ALIASES"


async def test_partial_data_stays_200_in_graphql_response_json(gw: Harness) -> None:
    gw.fault("omnidesk", down=True)
    query = "query($id: ID!) { customer(id: $id) { email supportProfile { supportId } } }"
    payload = {"query": query, "variables": {"id": gw.acme.customers[0].customer_id}}

    response = await post(gw, GRAPHQL_RESPONSE_JSON, json=payload)

    assert response.status_code == 200
    body = response.json()
    assert body["data"]["customer"]["supportProfile"] is None
    assert body["errors"][0]["extensions"]["vendor"] == "omnidesk"


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"]
)
async def test_simple_request_content_types_are_refused_against_csrf(
    gw: Harness, content_type: str
) -> None:
    body = b'{"query": "mutation { __typename }"}'

    response = await post(gw, content=body, headers={"content-type": content_type})

    assert response.status_code == 415
    error = response.json()["errors"][0]
    assert error["extensions"] == {"code": "UNSUPPORTED_MEDIA_TYPE"}
    assert "another site" in error["message"]
    assert gw.calls() == 0


@pytest.mark.parametrize(
    "content_type", [None, "application/graphql", "application/json; charset=latin-1"]
)
async def test_other_content_types_are_415(gw: Harness, content_type: str | None) -> None:
    headers = {"content-type": content_type} if content_type else {}

    response = await post(gw, content=b'{"query": "{ __typename }"}', headers=headers)

    assert response.status_code == 415
    assert response.json()["errors"][0]["extensions"]["code"] == "UNSUPPORTED_MEDIA_TYPE"


async def test_json_with_a_utf8_charset_is_accepted(gw: Harness) -> None:
    headers = {"content-type": "application/json; charset=UTF-8"}

    response = await post(gw, content=b'{"query": "{ __typename }"}', headers=headers)

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "The request body is empty"),
        (b'{ "not json', "The request body is not valid JSON."),
        (b'"a string"', "The request body must be a JSON object."),
        (b'{"query": 1}', "`query` must be a string or null."),
        (b'{"query": "{ __typename }", "operationName": {}}', "`operationName` must be"),
        (b'{"query": "{ __typename }", "variables": []}', "`variables` must be an object"),
        (b'{"query": "{ __typename }", "extensions": "x"}', "`extensions` must be an object"),
        (b'{"qeury": "{ __typename }"}', "No GraphQL query found in the request"),
    ],
)
async def test_malformed_requests_are_400(gw: Harness, body: bytes, message: str) -> None:
    for accept in (JSON, GRAPHQL_RESPONSE_JSON):
        response = await post(
            gw, accept, content=body, headers={"content-type": "application/json"}
        )

        assert response.status_code == 400
        assert response.headers["content-type"].startswith(accept)
        error = response.json()["errors"][0]
        assert message in error["message"]
        assert error["extensions"]["code"] == "BAD_REQUEST"


async def test_a_query_over_get_runs(gw: Harness) -> None:
    params = {
        "query": "query Type($name: String!) { __type(name: $name) { name } }",
        "variables": '{"name": "Customer"}',
    }

    response = await gw.client.get("/graphql", params=params, headers=KEY)

    assert response.status_code == 200
    assert response.json() == {"data": {"__type": {"name": "Customer"}}}


async def test_a_mutation_over_get_is_405_allowing_post(gw: Harness) -> None:
    params = {"query": 'mutation M { forgetCustomer(id: "x", idempotencyKey: "k") { __typename } }'}

    response = await gw.client.get(
        "/graphql", params=params, headers={**KEY, "accept": GRAPHQL_RESPONSE_JSON}
    )

    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert response.json()["errors"][0]["extensions"]["code"] == "METHOD_NOT_ALLOWED"
    assert gw.calls() == 0


async def test_get_picks_the_named_operation(gw: Harness) -> None:
    query = "query Q { __typename } mutation M { __typename }"

    as_query = await gw.client.get(
        "/graphql", params={"query": query, "operationName": "Q"}, headers=KEY
    )
    as_mutation = await gw.client.get(
        "/graphql", params={"query": query, "operationName": "M"}, headers=KEY
    )

    assert (as_query.status_code, as_mutation.status_code) == (200, 405)


async def test_get_variables_must_be_a_json_object(gw: Harness) -> None:
    params = {"query": "{ __typename }", "variables": "{not json"}

    response = await gw.client.get("/graphql", params=params, headers=KEY)

    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"] == {
        "code": "BAD_REQUEST",
        "parameter": "variables",
    }


async def test_other_methods_are_405(gw: Harness) -> None:
    response = await gw.client.put("/graphql", json=TYPENAME, headers=KEY)

    assert response.status_code == 405
    assert response.headers["allow"] == "GET, POST"


async def test_the_playground_page_is_untouched(gw: Harness) -> None:
    response = await gw.client.get("/graphql", headers={"accept": "text/html"})

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")

"""Hostile and malformed requests, each answered as the client's mistake: a GraphQL error
with its ``extensions.code`` and the status the GraphQL-over-HTTP spec asks for, no
upstream call, and nothing logged at ERROR or with a traceback (a 500, an
``INTERNAL_SERVER_ERROR`` or a stack in the log would be the gateway failing)."""

from __future__ import annotations

import base64
import json
import logging
import time
from dataclasses import dataclass, field
from typing import Any

import pytest

from tests.schema.gateway_harness import VENDORS, Harness

GRJ = "application/graphql-response+json"
JSON = "application/json"
CUSTOMER = "{ customer(id: $id) { customerId } }"
FIRST = "query($n: Int!) { customers(first: $n) { __typename } }"
ATTRIBUTES = (
    'mutation($a: JSON!) { setAudienceMemberAttributes(id: "1", attributes: $a) { __typename } }'
)
LONG = "a" * 70_000
GUID = "00000000-0000-4000-8000-000000000000"
#: base64 of JSON nested 3,000 deep, under the string limit: the decoder's recursion ran out
DEEP_CURSOR = base64.urlsafe_b64encode(b"[" * 3000).decode().rstrip("=")


def doubling_fragments(levels: int) -> str:
    lines = [f"query Q {{ ...F{levels} }}", "fragment F0 on Query { __typename }"]
    lines += [f"fragment F{i} on Query {{ ...F{i - 1} ...F{i - 1} }}" for i in range(1, levels + 1)]
    return "\n".join(lines)


def segment_removal(segment_id: str) -> str:
    return (
        f'mutation {{ removeCustomerFromSegment(customerId: "{GUID}", segmentId: "{segment_id}") '
        "{ __typename } }"
    )


def nested(levels: int) -> bytes:
    return b'{"a":' * levels + b"1" + b"}" * levels


@dataclass(frozen=True)
class Row:
    """One request and its answer: ``status`` and the first error's ``code`` (a set when
    more than one code is right; ``None``: the request is fine and runs)."""

    id: str
    status: int
    code: str | frozenset[str] | None
    body: dict[str, Any] | bytes | None = None
    #: the argument the error must name
    argument: str | None = None
    method: str = "POST"
    params: dict[str, str] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    accept: str = GRJ
    #: answered within this many seconds (for requests that used to run for long)
    seconds: float | None = None


def body(query: str, variables: Any = None, **extra: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {"query": query, **extra}
    if variables is not None:
        payload["variables"] = variables
    return payload


ROWS = [
    # --- variables that do not coerce: BAD_USER_INPUT, a request error ---
    Row("missing variable", 400, "BAD_USER_INPUT", body(f"query($id: ID!) {CUSTOMER}")),
    Row(
        "missing variable, json",
        200,
        "BAD_USER_INPUT",
        body(f"query($id: ID!) {CUSTOMER}"),
        accept=JSON,
    ),
    Row(
        "null for non-null variable",
        400,
        "BAD_USER_INPUT",
        body(f"query($id: ID!) {CUSTOMER}", {"id": None}),
    ),
    Row("string for Int variable", 400, "BAD_USER_INPUT", body(FIRST, {"n": "ten"})),
    Row("float for Int variable", 400, "BAD_USER_INPUT", body(FIRST, {"n": 1.5})),
    Row("huge Int variable", 400, "BAD_USER_INPUT", body(FIRST, {"n": 1099511627776})),
    Row(
        "object for ID variable",
        400,
        "BAD_USER_INPUT",
        body(f"query($id: ID!) {CUSTOMER}", {"id": {"a": 1}}),
    ),
    Row(
        "NaN variable",  # not JSON (RFC 8259): refused with the body, before coercion
        400,
        "BAD_REQUEST",
        b'{"query": "' + FIRST.encode() + b'", "variables": {"n": NaN}}',
    ),
    Row(
        "1e400 variable",
        400,
        "BAD_USER_INPUT",
        b'{"query": "' + FIRST.encode() + b'", "variables": {"n": 1e400}}',
    ),
    Row(
        "invalid enum variable",
        400,
        "BAD_USER_INPUT",
        body(
            'mutation($t: SupportChannelType!) { addSupportChannel(customerId: "c", type: $t, '
            'address: "a@b.c") { __typename } }',
            {"t": "CARRIER_PIGEON"},
        ),
    ),
    # --- argument literals the schema refuses: BAD_USER_INPUT naming the argument ---
    Row(
        "first: 1099511627776",
        400,
        "BAD_USER_INPUT",
        body("{ customers(first: 1099511627776) { __typename } }"),
    ),
    Row(
        "first: 1099511627776, json",
        200,
        "BAD_USER_INPUT",
        body("{ customers(first: 1099511627776) { __typename } }"),
        accept=JSON,
    ),
    Row(
        "float for Int literal",
        400,
        "BAD_USER_INPUT",
        body("{ customers(first: 1.5) { __typename } }"),
    ),
    Row(
        "string for Int literal",
        400,
        "BAD_USER_INPUT",
        body('{ customerBySupportId(supportId: "12") { customerId } }'),
    ),
    Row(
        "null for non-null literal",
        400,
        "BAD_USER_INPUT",
        body("{ customer(id: null) { customerId } }"),
    ),
    Row(
        "invalid enum literal",
        400,
        "BAD_USER_INPUT",
        body(
            'mutation { addSupportChannel(customerId: "c", type: BOGUS, address: "a") '
            "{ __typename } }"
        ),
    ),
    # --- argument values refused by the resolver: a field error, data present ---
    Row("negative first", 200, "BAD_USER_INPUT", body("{ customers(first: -1) { __typename } }")),
    Row("first: 0", 200, "BAD_USER_INPUT", body("{ customers(first: 0) { __typename } }")),
    Row(
        "after not a cursor",
        200,
        "BAD_USER_INPUT",
        body('{ customers(after: "not a cursor!") { __typename } }'),
    ),
    Row(
        "after base64 of junk",
        200,
        "BAD_USER_INPUT",
        body('{ customers(after: "WzEsMiwzXQ") { __typename } }'),
    ),
    Row(
        "after nested 3000 deep",
        200,
        "BAD_USER_INPUT",
        body(f'{{ customers(after: "{DEEP_CURSOR}") {{ __typename }} }}'),
        argument="after",
    ),
    Row(
        "after 2000 characters of junk",
        200,
        "BAD_USER_INPUT",
        body(f'{{ customers(after: "{"A" * 2000}") {{ __typename }} }}'),
        argument="after",
    ),
    Row("node id not global", 200, "BAD_USER_INPUT", body('{ node(id: "!!!") { id } }')),
    # --- unicode tricks ---
    Row(
        "lone surrogate in the query",
        400,
        "BAD_USER_INPUT",
        b'{"query": "{ customer(id: \\"\\ud83d\\") { customerId } }"}',
    ),
    Row(
        "lone surrogate in a variable",
        400,
        "BAD_USER_INPUT",
        b'{"query": "query($id: ID!) ' + CUSTOMER.encode() + b'", "variables": {"id": "\\udc00x"}}',
    ),
    Row(
        "lone surrogate in a variable's key",
        400,
        "BAD_USER_INPUT",
        b'{"query": "'
        + ATTRIBUTES.replace('"', '\\"').encode()
        + b'", "variables": {"a": {"\\ud800": 1}}}',
    ),
    # --- numbers JSON has not: NaN and infinity never reach a vendor's JSON body ---
    Row(
        "-Infinity in a variable",
        400,
        "BAD_REQUEST",
        b'{"query": "'
        + ATTRIBUTES.replace('"', '\\"').encode()
        + b'", "variables": {"a": {"x": -Infinity}}}',
    ),
    Row(
        "1e999 in a JSON variable",
        200,
        "BAD_USER_INPUT",
        b'{"query": "'
        + ATTRIBUTES.replace('"', '\\"').encode()
        + b'", "variables": {"a": {"x": 1e999}}}',
    ),
    Row(
        "1e999 in a JSON literal",
        200,
        "BAD_USER_INPUT",
        body(
            'mutation { setAudienceMemberAttributes(id: "1", attributes: {x: 1e999}) '
            "{ __typename } }"
        ),
    ),
    Row("NUL byte in the query", 400, "GRAPHQL_PARSE_FAILED", body("{ __typename \u0000 }")),
    Row("BOM before the body", 200, None, b'\xef\xbb\xbf{"query": "{ __typename }"}'),
    Row("BOM in the query", 200, None, body("\ufeff{ __typename }")),
    Row("invalid UTF-8 body", 400, "BAD_REQUEST", b'{"query": "{ \xff__typename }"}'),
    # --- sizes and depths ---
    Row(
        "string literal of 10,000 characters",
        400,
        "BAD_USER_INPUT",
        body('{ customer(id: "' + "é" * 10_000 + '") { customerId } }'),
    ),
    Row(
        "string literal over 64 KB",
        400,
        frozenset({"BAD_USER_INPUT", "QUERY_TOO_LONG"}),
        body('{ customer(id: "' + LONG + '") { customerId } }'),
    ),
    Row(
        "string variable over 64 KB",
        400,
        "BAD_USER_INPUT",
        body(f"query($id: ID!) {CUSTOMER}", {"id": LONG}),
    ),
    Row(
        "string over 64 KB in a JSON variable",
        400,
        "BAD_USER_INPUT",
        body(ATTRIBUTES, {"a": {"note": LONG}}),
    ),
    Row(
        "JSON nested 1,000 levels",
        400,
        "BAD_REQUEST",
        b'{"query": "{ __typename }", "variables": ' + nested(1000) + b"}",
    ),
    Row(
        "JSON nested 1,000 levels, json",
        400,
        "BAD_REQUEST",
        b'{"query": "{ __typename }", "variables": ' + nested(1000) + b"}",
        accept=JSON,
    ),
    Row(
        "variables nested 40 levels",
        400,
        "BAD_REQUEST",
        b'{"query": "{ __typename }", "variables": ' + nested(40) + b"}",
    ),
    Row("arrays nested 100,000 levels", 400, "BAD_REQUEST", b"[" * 100_000 + b"]" * 100_000),
    Row(
        "int of 5,000 digits",
        400,
        "BAD_REQUEST",
        b'{"query": "' + FIRST.encode() + b'", "variables": {"n": ' + b"9" * 5000 + b"}}",
    ),
    Row(
        "object literal nested 300 levels",
        400,
        "GRAPHQL_PARSE_FAILED",
        body(
            'mutation { setAudienceMemberAttributes(id: "1", attributes: '
            + "{a:" * 300
            + "1"
            + "}" * 300
            + ") { __typename } }"
        ),
    ),
    # --- the document ---
    Row("syntax error", 400, "GRAPHQL_PARSE_FAILED", body('{ customer(id: "a" }')),
    Row(
        "syntax error, json", 200, "GRAPHQL_PARSE_FAILED", body('{ customer(id: "a" }'), accept=JSON
    ),
    Row("unknown field", 400, "GRAPHQL_VALIDATION_FAILED", body('{ customer(id: "a") { nope } }')),
    Row(
        "unknown argument",
        400,
        "GRAPHQL_VALIDATION_FAILED",
        body('{ customer(id: "a", nope: 1) { customerId } }'),
    ),
    Row(
        "undeclared variable",
        400,
        "GRAPHQL_VALIDATION_FAILED",
        body("{ customer(id: $id) { customerId } }"),
    ),
    Row(
        "unknown operationName",
        400,
        "BAD_USER_INPUT",
        body("query A { __typename }", operationName="B"),
    ),
    Row(
        "two operations, no operationName",
        400,
        frozenset({"GRAPHQL_VALIDATION_FAILED", "BAD_USER_INPUT"}),
        body("query A { __typename } query B { __typename }"),
    ),
    Row(
        "20-level doubling fragment chain",
        400,
        frozenset({"TOO_MANY_SELECTIONS", "QUERY_TOO_COSTLY", "GRAPHQL_VALIDATION_FAILED"}),
        body(doubling_fragments(20)),
        seconds=2.0,
    ),
    # --- the request's shape ---
    Row("malformed JSON", 400, "BAD_REQUEST", b'{"query": "{ __typename }"'),
    Row("empty body", 400, "BAD_REQUEST", b""),
    Row("JSON null body", 400, "BAD_REQUEST", b"null"),
    Row("query not a string", 400, "BAD_REQUEST", {"query": 42}),
    Row("query missing", 400, "BAD_REQUEST", {"variables": {}}),
    Row("query empty", 400, "BAD_REQUEST", {"query": ""}),
    Row(
        "variables not an object", 400, "BAD_REQUEST", {"query": "{ __typename }", "variables": [1]}
    ),
    Row(
        "extensions not an object",
        400,
        "BAD_REQUEST",
        {"query": "{ __typename }", "extensions": "x"},
    ),
    Row(
        "operationName not a string",
        400,
        "BAD_REQUEST",
        {"query": "{ __typename }", "operationName": 1},
    ),
    Row(
        "unknown body fields are ignored",
        200,
        None,
        {"query": "{ __typename }", "nope": [1, {"x": 2}]},
    ),
    Row(
        "batch array",
        400,
        "TOO_MANY_OPERATIONS",
        b'[{"query": "{ __typename }"}, {"query": "{ __typename }"}]',
    ),
    Row(
        "text/plain body",
        415,
        "UNSUPPORTED_MEDIA_TYPE",
        {"query": "{ __typename }"},
        headers={"content-type": "text/plain"},
    ),
    Row(
        "form body",
        415,
        "UNSUPPORTED_MEDIA_TYPE",
        b"query=%7B__typename%7D",
        headers={"content-type": "application/x-www-form-urlencoded"},
    ),
    Row(
        "XML body",
        415,
        "UNSUPPORTED_MEDIA_TYPE",
        {"query": "{ __typename }"},
        headers={"content-type": "application/xml"},
    ),
    Row(
        "latin-1 charset",
        415,
        "UNSUPPORTED_MEDIA_TYPE",
        {"query": "{ __typename }"},
        headers={"content-type": "application/json; charset=latin-1"},
    ),
    Row("PUT", 405, "METHOD_NOT_ALLOWED", {"query": "{ __typename }"}, method="PUT"),
    Row(
        "accepts only images",
        406,
        "NOT_ACCEPTABLE",
        {"query": "{ __typename }"},
        accept="image/png",
    ),
    Row(
        "over-long Accept",
        406,
        "NOT_ACCEPTABLE",
        {"query": "{ __typename }"},
        accept="x/y, " * 20_000,
    ),
    Row(
        "over-long API key",
        401,
        "UNAUTHENTICATED",
        {"query": "{ __typename }"},
        headers={"x-api-key": "k" * 20_000},
    ),
    Row(
        "over-long request id is replaced",
        200,
        None,
        {"query": "{ __typename }"},
        headers={"x-request-id": "r" * 20_000},
    ),
    Row(
        "persistedQuery not an object",
        400,
        "BAD_USER_INPUT",
        {"query": "{ __typename }", "extensions": {"persistedQuery": "x"}},
    ),
    # --- GET ---
    Row(
        "GET mutation",
        405,
        "METHOD_NOT_ALLOWED",
        method="GET",
        params={"query": "mutation { __typename }"},
    ),
    Row(
        "GET invalid JSON variables",
        400,
        "BAD_REQUEST",
        method="GET",
        params={"query": "{ __typename }", "variables": "{bad"},
    ),
    Row(
        "GET variables not an object",
        400,
        "BAD_REQUEST",
        method="GET",
        params={"query": "{ __typename }", "variables": "[1]"},
    ),
    Row(
        "GET variables nested 1,000 levels",
        400,
        "BAD_REQUEST",
        method="GET",
        params={"query": "{ __typename }", "variables": nested(1000).decode()},
    ),
    Row(
        "GET lone surrogate variable",
        400,
        "BAD_USER_INPUT",
        method="GET",
        params={"query": f"query($id: ID!) {CUSTOMER}", "variables": '{"id": "\\ud83d"}'},
    ),
    Row(
        "GET syntax error",
        400,
        "GRAPHQL_PARSE_FAILED",
        method="GET",
        params={"query": "{ __typename"},
    ),
    # --- ids the vendors cannot take: refused before any vendor is called ---
    Row("customer id .", 400, "BAD_USER_INPUT", body('{ customer(id: ".") { customerId } }'), "id"),
    Row(
        "customer id ..", 400, "BAD_USER_INPUT", body('{ customer(id: "..") { customerId } }'), "id"
    ),
    Row(
        "segment id ..",
        400,
        "BAD_USER_INPUT",
        body(segment_removal("..")),
        "segmentId",
    ),
    Row(
        "segment id .",
        400,
        "BAD_USER_INPUT",
        body(segment_removal(".")),
        "segmentId",
    ),
    Row(
        "audience id ٣",
        200,
        "BAD_USER_INPUT",
        body('mutation { deleteAudience(id: "٣") { __typename } }'),
    ),
    Row(
        "audience id ¹",
        200,
        "BAD_USER_INPUT",
        body('mutation { deleteAudience(id: "¹") { __typename } }'),
    ),
]


def test_the_table_is_big_enough_and_its_ids_unique() -> None:
    assert len(ROWS) >= 40
    assert len({row.id for row in ROWS}) == len(ROWS)


async def send(gw: Harness, row: Row) -> Any:
    headers = {"x-api-key": gw.key, "accept": row.accept}
    if row.method != "GET":
        headers["content-type"] = JSON
    headers.update(row.headers)
    content = row.body if isinstance(row.body, bytes) or row.body is None else json.dumps(row.body)
    return await gw.client.request(
        row.method, "/graphql", content=content, params=row.params, headers=headers
    )


@pytest.mark.parametrize("row", ROWS, ids=[row.id for row in ROWS])
async def test_bad_input_is_the_clients_mistake(
    gw: Harness, row: Row, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    started = time.perf_counter()
    response = await send(gw, row)
    elapsed = time.perf_counter() - started

    assert response.status_code == row.status, response.text[:500]
    media = response.headers["content-type"]
    assert media.startswith(row.accept if row.status != 406 else JSON) or row.status == 401, media
    answer = response.json()
    errors = answer.get("errors") or []
    codes = [(e.get("extensions") or {}).get("code") for e in errors]
    assert "INTERNAL_SERVER_ERROR" not in codes, answer
    if row.code is None:
        assert errors == [], answer
    else:
        expected = row.code if isinstance(row.code, frozenset) else {row.code}
        assert codes, answer
        assert codes[0] in expected, answer
    if row.argument is not None:
        assert errors[0]["extensions"]["argument"] == row.argument, answer
    if row.status == 400 and row.accept == GRJ:
        assert "data" not in answer  # a request error: nothing ran
    assert gw.calls() == 0, {vendor: gw.endpoints(vendor) for vendor in VENDORS}
    if row.seconds is not None:
        assert elapsed < row.seconds
    loud = [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert loud == [], [r.getMessage() for r in loud]

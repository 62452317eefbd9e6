"""GraphQL answers written by one encoder (orjson): compact UTF-8 JSON on every path, and
every value an answer can hold encodes, including the ones orjson refuses."""

from __future__ import annotations

import json
import math
import re
from typing import Any

import pytest

from bench.scenarios import CUSTOMER_360
from gateway.http_compliance.json_answer import encode_answer
from gateway.http_compliance.responses import error_response, incremental_last_part
from tests.schema.gateway_harness import Harness

BAD_ID = "query($id: ID!) { customer(id: $id) { customerId } }"
TEXT = "café ☃ 😀"


def _roundtrip(payload: Any) -> Any:
    body = encode_answer(payload)
    assert isinstance(body, bytes)
    return json.loads(body.decode("utf-8"))  # strict UTF-8: a surrogate would fail here


@pytest.mark.parametrize(
    "value",
    [
        2**31 - 1,  # GraphQL Int's bounds
        -(2**31),
        2**63 - 1,  # a JSON scalar's 64-bit integers
        -(2**63),
        2**64 + 1,  # beyond orjson: written by the standard library
        -(10**30),
        1.7976931348623157e308,
        5e-324,
        -0.0,
        0.1,
        1e16,
        "",
        TEXT,
        True,
        None,
        [],
        {},
    ],
)
def test_edge_values_encode_and_read_back_unchanged(value: Any) -> None:
    payload = {"data": {"value": value, "list": [value]}}
    assert _roundtrip(payload) == payload


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_non_finite_floats_are_null_on_both_paths(value: float) -> None:
    assert encode_answer({"v": value}) == b'{"v":null}'
    # a value orjson refuses sends the whole answer down the standard library's path
    assert _roundtrip({"v": value, "big": 2**70}) == {"v": None, "big": 2**70}
    assert _roundtrip({"v": [(value,)], 1: 2**70}) == {"v": [[None]], "1": 2**70}


def test_what_orjson_refuses_is_still_written() -> None:
    assert _roundtrip({1: "a", None: "b"}) == {"1": "a", "null": "b"}
    # a lone surrogate (a vendor's "\ud83d") stays escaped: the body is valid UTF-8
    assert encode_answer({"s": "x\ud83d"}) == b'{"s":"x\\ud83d"}'
    deep: Any = "bottom"
    for _ in range(400):  # past orjson's 255 levels
        deep = [deep]
    assert _roundtrip({"deep": deep}) == {"deep": deep}


def test_answers_are_compact_utf8() -> None:
    payload = {"data": {"name": TEXT, "n": [1, 2.5]}, "errors": [{"path": ["a", 0]}]}
    assert encode_answer(payload) == (
        '{"data":{"name":"café ☃ 😀","n":[1,2.5]},"errors":[{"path":["a",0]}]}'.encode()
    )


def test_error_responses_and_last_parts_count_utf8_bytes() -> None:
    error = {"message": TEXT, "extensions": {"code": "X"}}
    response = error_response(400, "application/json", [error])
    assert response.body == encode_answer({"errors": [error]})
    assert dict(response.headers)[b"content-length"] == str(len(response.body)).encode()
    part = incremental_last_part(error)
    length = re.search(rb"Content-Length: (\d+)\r\n\r\n(.*)\r\n--", part, re.DOTALL)
    assert length is not None
    assert int(length.group(1)) == len(length.group(2))
    assert json.loads(length.group(2)) == {"hasNext": False, "errors": [error]}


@pytest.mark.parametrize(
    ("accept", "status"),
    [("application/json", 200), ("application/graphql-response+json", 400)],
)
async def test_gateway_answers_carry_text_as_utf8(gw: Harness, accept: str, status: int) -> None:
    """Strawberry's body (application/json) and the reshaped one (graphql-response+json)."""
    headers = {"x-api-key": gw.key, "accept": accept}
    body = {"query": BAD_ID, "variables": {"id": [TEXT]}}
    response = await gw.client.post("/graphql", json=body, headers=headers)
    assert response.status_code == status
    assert response.headers["content-type"] == f"{accept}; charset=utf-8"
    assert TEXT.encode() in response.content
    assert b"\\u" not in response.content
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_a_customer_360_answer_is_written_by_the_one_encoder(gw: Harness) -> None:
    customer = str(gw.acme.customers[3].customer_id)
    response = await gw.post(CUSTOMER_360, {"id": customer})
    answer = response.json()
    assert "errors" not in answer
    assert answer["data"]["customer"]["customerId"] == customer
    assert response.content == encode_answer(answer)
    assert response.headers["content-length"] == str(len(response.content))

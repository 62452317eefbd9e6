"""Each sandbox's OpenAPI document declares what its routes answer: no 422 (the vendors answer
400), the vendor's error statuses with its error body schema, Omnidesk's documented patterns,
and no JSON for the Tallymarks route that answers an empty body. (tests/fuzz/
test_fuzz_sandboxes.py checks the behaviour against these documents.)"""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from sandbox.common import VendorRuntime
from sandbox.demo_world import demo_world
from sandbox.omnidesk.validation import NAME_PATTERN, NUMBER_PATTERN, QUERY_PATTERN
from sandbox.registry import VENDOR_APPS

WORLD = demo_world(7, 2, 25)


def _document(vendor: str) -> dict[str, Any]:
    factory: Any = VENDOR_APPS[vendor]
    document: dict[str, Any] = factory(WORLD, runtime=VendorRuntime(vendor)).openapi()
    return document


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, spec)
        for path, methods in document["paths"].items()
        for method, spec in methods.items()
    ]


@pytest.mark.parametrize("vendor", sorted(VENDOR_APPS))
def test_no_operation_declares_422(vendor: str) -> None:
    document = _document(vendor)
    assert not [
        (m, p) for m, p, spec in _operations(document) if "422" in spec.get("responses", {})
    ]
    assert "HTTPValidationError" not in document["components"]["schemas"]


@pytest.mark.parametrize(
    ("vendor", "error_schemas"),
    [
        ("tallymarks", {"TallymarksError"}),
        ("omnidesk", {"OmnideskError"}),
        ("talon", {"ErrorResponse", "ErrorResponseWithStatus", "MessageOnly"}),
    ],
)
def test_vendor_operations_declare_their_errors_in_the_vendor_body(
    vendor: str, error_schemas: set[str]
) -> None:
    document = _document(vendor)
    for method, path, spec in _operations(document):
        if path.startswith("/_sandbox"):
            continue
        responses = spec["responses"]
        assert {"401", "429", "5XX"} <= set(responses), (method, path)
        if spec.get("parameters") or "requestBody" in spec:
            assert "400" in responses, (method, path)
        if "{" in path:
            assert "404" in responses, (method, path)
        for status, response in responses.items():
            if status.startswith(("4", "5")):
                ref = response["content"]["application/json"]["schema"]["$ref"]
                assert ref.rsplit("/", 1)[1] in error_schemas, (method, path, status)
    assert error_schemas <= set(document["components"]["schemas"])


def test_tallymarks_declares_415_on_bodies_and_no_json_for_the_empty_delete() -> None:
    document = _document("tallymarks")
    for method, path, spec in _operations(document):
        if path.startswith("/api/") and "requestBody" in spec:
            assert "415" in spec["responses"], (method, path)
    delete = document["paths"]["/api/v1/customers/{customerId}/segments/{segmentId}"]["delete"]
    assert not delete["responses"]["200"].get("content")


def test_talon_declares_409_for_locked_operations_and_204_when_silent() -> None:
    operations = {spec["operationId"]: spec for _, _, spec in _operations(_document("talon"))}
    assert "409" in operations["updateCustomerSessionV2"]["responses"]
    assert "409" not in operations["getCustomerSession"]["responses"]
    assert "content" not in operations["updateCustomerProfilesV2"]["responses"]["204"]
    assert "400" in operations["updateCustomerProfilesV2"]["responses"]


def test_omnidesk_fields_carry_their_documented_patterns() -> None:
    document = _document("omnidesk")
    index = document["paths"]["/api/v2/customer"]
    query = {p["name"]: p["schema"] for p in index["get"]["parameters"]}
    form = index["post"]["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert query["query"]["pattern"] == QUERY_PATTERN
    assert query["itemLimit"]["pattern"] == NUMBER_PATTERN
    assert form["properties"]["firstname"]["pattern"] == NAME_PATTERN
    assert form["properties"]["brand_id"]["pattern"] == NUMBER_PATTERN
    # Python reads the documented patterns unchanged (docs/vendors/omnidesk.md §5.2)
    assert re.fullmatch(NAME_PATTERN, "Zoë O'Neil-Smith")


async def test_omnidesk_trailing_slash_is_the_vendor_404() -> None:
    factory: Any = VENDOR_APPS["omnidesk"]
    app = factory(WORLD, runtime=VendorRuntime("omnidesk"))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://omnidesk.test"
    ) as client:
        response = await client.get("/api/v2/customer/", headers={"apiKey": "whatever"})
    assert response.status_code == 404
    assert response.json() == {"status": "error", "message": "This endpoint does not exist."}

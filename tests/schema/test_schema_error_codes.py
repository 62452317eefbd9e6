"""Every kind of error the gateway answers with carries ``extensions.code`` (Apollo's names
where Apollo has one), and the metrics count it under that same code: parse and validation
errors, variables, each query limit, authentication and scopes, the rate limit, persisted
queries, the HTTP layer, each class of vendor failure, field errors and timeouts.

A new kind of error belongs in one of the tables here; an error without a code, or counted
as ``UNCODED``/``OTHER``, fails the walk."""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from graphql import GraphQLError

from gateway.errors import format_error
from gateway.persisted.trusted_documents import build_manifest
from gateway.rate_limit.config import RateLimitSettings
from gateway.settings import DEFAULT_TTLS, GatewaySettings, VendorHttpConfig
from tests.schema.auth_harness import auth_harness
from tests.schema.gateway_harness import VENDORS, WORLD, Harness
from vendors import errors as vendor_errors
from vendors.http import VendorHttp
from vendors.path_segments import PathSegmentError
from vendors.resilience import BreakerConfig
from vendors.resilience.circuit_breaker import CircuitOpenError

GRJ = "application/graphql-response+json"
CUSTOMER_ID = WORLD.tenants[0].customers[0].customer_id
TRUSTED = "query Person($id: ID!) { customer(id: $id) { customerId } }"

#: limits low enough that a few lines trip each one, and each before the others
TIGHT = GatewaySettings(
    _env_file=None,
    max_query_length=3000,
    max_tokens=600,
    max_fragment_spreads=6,
    max_directives=4,
    max_selections=80,
    max_query_depth=4,
    max_aliases=4,
    max_query_cost=50,
    max_body_bytes=6000,
    introspection=False,
)


def aliases(count: int) -> str:
    return "{ " + " ".join(f"a{i}: __typename" for i in range(count)) + " }"


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def apq(sha: str, query: str | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": sha}}}
    if query is not None:
        body["query"] = query
    return body


@dataclass(frozen=True)
class Row:
    """One request and the code its (first) error must carry."""

    id: str
    status: int
    code: str
    body: dict[str, Any] | bytes | None = None
    method: str = "POST"
    params: dict[str, str] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    #: words the message must hold (that the right error was hit, not another)
    says: str = ""
    #: counted in the error or rejection metrics under its code
    counted: bool = True


DEEP = "{ customers { edges { node { supportProfile { channels { type } } } } } }"
ROWS = [
    # --- the document: Apollo's GRAPHQL_PARSE_FAILED / GRAPHQL_VALIDATION_FAILED ---
    Row("parse error", 400, "GRAPHQL_PARSE_FAILED", {"query": "{ customer(id: "}, says="Syntax"),
    Row(
        "unknown field, did you mean",
        400,
        "GRAPHQL_VALIDATION_FAILED",
        {"query": f'{{ customer(id: "{CUSTOMER_ID}") {{ emial }} }}'},
        says="Did you mean 'email'",
    ),
    Row(
        "fragment cycle",
        400,
        "GRAPHQL_VALIDATION_FAILED",
        {"query": "{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }"},
        says="Cannot spread fragment",
    ),
    Row(
        "unknown directive",
        400,
        "GRAPHQL_VALIDATION_FAILED",
        {"query": "{ __typename @nonsense }"},
        says="Unknown directive",
    ),
    Row(
        "unknown type",
        400,
        "GRAPHQL_VALIDATION_FAILED",
        {"query": "{ ...F } fragment F on Nope { __typename }"},
    ),
    Row(
        "unused variable",
        400,
        "GRAPHQL_VALIDATION_FAILED",
        {"query": "query($x: Int) { __typename }"},
    ),
    Row(
        "unknown operationName",
        400,
        "BAD_USER_INPUT",
        {"query": "query A { __typename }", "operationName": "B"},
    ),
    # --- variables and argument values ---
    Row(
        "variable of the wrong type",
        400,
        "BAD_USER_INPUT",
        {
            "query": "query($n: Int!) { customers(first: $n) { __typename } }",
            "variables": {"n": "x"},
        },
    ),
    Row(
        "missing variable",
        400,
        "BAD_USER_INPUT",
        {"query": "query($id: ID!) { customer(id: $id) { customerId } }"},
    ),
    Row(
        "argument literal out of range",
        400,
        "BAD_USER_INPUT",
        {"query": "{ customers(first: 1099511627776) { __typename } }"},
    ),
    Row(
        "argument refused by the resolver (a field error)",
        200,
        "BAD_USER_INPUT",
        {"query": "{ customers(first: -1) { __typename } }"},
    ),
    # --- each query limit ---
    Row("query too long", 400, "QUERY_TOO_LONG", {"query": "{ __typename " + " " * 3000 + "}"}),
    Row(
        "too many tokens",
        400,
        "TOO_MANY_TOKENS",
        {"query": "{ " + "a " * 700 + "}"},
    ),
    Row("too many aliases", 400, "TOO_MANY_ALIASES", {"query": aliases(5)}),
    Row("too deep", 400, "QUERY_TOO_DEEP", {"query": DEEP}),
    Row(
        "too many directives",
        400,
        "TOO_MANY_DIRECTIVES",
        {"query": "{ __typename " + "@include(if: true) " * 5 + "}"},
    ),
    Row(
        "too many fragment spreads",
        400,
        "TOO_MANY_FRAGMENT_SPREADS",
        {"query": "{ " + "...F " * 7 + "} fragment F on Query { __typename }"},
    ),
    Row(
        "too many selections",
        400,
        "TOO_MANY_SELECTIONS",
        {"query": "{ " + "__typename " * 90 + "}"},
    ),
    Row(
        "too costly",
        400,
        "QUERY_TOO_COSTLY",
        {"query": "{ customers(first: 100) { edges { node { pointsBalance { points } } } } }"},
    ),
    Row(
        "introspection disabled",
        400,
        "INTROSPECTION_DISABLED",
        {"query": "{ __schema { queryType { name } } }"},
    ),
    Row(
        "request too large",
        413,
        "REQUEST_TOO_LARGE",
        {"query": "{ __typename }", "variables": {"pad": "x" * 7000}},
    ),
    Row(
        "batch",
        400,
        "TOO_MANY_OPERATIONS",
        b'[{"query": "{ __typename }"}]',
        says="1 was sent as a batch",
    ),
    # --- persisted queries (APQ) ---
    Row(
        "APQ hash unknown",
        200,
        "PERSISTED_QUERY_NOT_FOUND",
        apq(sha256("{ __typename }")),
        counted=False,  # the APQ protocol's first round trip, not a failure (gateway.persisted)
    ),
    Row(
        "APQ hash not the text's",
        400,
        "BAD_USER_INPUT",
        apq("0" * 64, "{ __typename }"),
    ),
    # --- the HTTP layer ---
    Row("malformed JSON", 400, "BAD_REQUEST", b'{"query": '),
    Row("query missing", 400, "BAD_REQUEST", {"variables": {}}, counted=False),
    Row("PUT", 405, "METHOD_NOT_ALLOWED", {"query": "{ __typename }"}, method="PUT"),
    Row(
        "GET mutation",
        405,
        "METHOD_NOT_ALLOWED",
        method="GET",
        params={"query": 'mutation { deleteCustomerData(customerId: "x") { __typename } }'},
    ),
    Row(
        "not acceptable",
        406,
        "NOT_ACCEPTABLE",
        {"query": "{ __typename }"},
        headers={"accept": "image/png"},
    ),
    Row(
        "unsupported media type",
        415,
        "UNSUPPORTED_MEDIA_TYPE",
        b"query={__typename}",
        headers={"content-type": "text/plain"},
    ),
    # --- authentication and scopes ---
    Row(
        "no credential",
        401,
        "UNAUTHENTICATED",
        {"query": "{ __typename }"},
        headers={"x-api-key": ""},
    ),
    Row(
        "unknown key",
        401,
        "UNAUTHENTICATED",
        {"query": "{ __typename }"},
        headers={"x-api-key": "key-nobody"},
    ),
    Row(
        "bad bearer token",
        401,
        "UNAUTHENTICATED",
        {"query": "{ __typename }"},
        headers={"x-api-key": "", "authorization": "Bearer not.a.token"},
    ),
    Row(
        "missing scope (a field error)",
        200,
        "FORBIDDEN",
        {"query": f'{{ customer(id: "{CUSTOMER_ID}") {{ customerId }} }}'},
        headers={"x-api-key": "key-acme-promotions"},
    ),
]


class Counts:
    """The error and rejection counters, by code, of one gateway's metrics."""

    def __init__(self, gw: Harness) -> None:
        self.registry = gw.gateway.state.telemetry.metrics.registry

    def snapshot(self) -> dict[str, float]:
        counted: dict[str, float] = {}
        for metric in self.registry.collect():
            for sample in metric.samples:
                code = sample.labels.get("code") or sample.labels.get("reason")
                names = ("cg_graphql_errors_total", "cg_graphql_rejected_operations_total")
                if sample.name in names and code:
                    counted[code] = counted.get(code, 0) + sample.value
        return counted

    @staticmethod
    def grown(before: dict[str, float], after: dict[str, float]) -> set[str]:
        return {code for code, value in after.items() if value > before.get(code, 0)}


@asynccontextmanager
async def gateway(settings: GatewaySettings = TIGHT) -> AsyncIterator[Harness]:
    async with auth_harness(settings) as gw:
        yield gw


async def send(gw: Harness, row: Row) -> httpx.Response:
    headers = {"x-api-key": gw.key, "accept": GRJ, **row.headers}
    if not headers["x-api-key"]:
        del headers["x-api-key"]
    if isinstance(row.body, bytes):
        headers.setdefault("content-type", "application/json")
        return await gw.client.request(
            row.method, "/graphql", content=row.body, headers=headers, params=row.params
        )
    if row.body is None:
        return await gw.client.request(row.method, "/graphql", headers=headers, params=row.params)
    return await gw.client.request(
        row.method, "/graphql", json=row.body, headers=headers, params=row.params
    )


def first_error(response: httpx.Response) -> dict[str, Any]:
    body = json.loads(response.content)
    assert body.get("errors"), body
    error: dict[str, Any] = body["errors"][0]
    return error


def assert_coded(
    response: httpx.Response, counts: Counts, before: dict[str, float], *, counted: bool = True
) -> None:
    """Every error has a code, and the metrics counted those codes (and nothing uncoded)."""
    body = json.loads(response.content)
    codes = {e.get("extensions", {}).get("code") for e in body.get("errors", [])}
    assert None not in codes, body
    grown = Counts.grown(before, counts.snapshot())
    assert not grown & {"UNCODED", "OTHER"}, grown
    if counted:
        assert codes <= grown, (codes, grown)


@pytest.mark.parametrize("row", ROWS, ids=[r.id for r in ROWS])
async def test_every_request_error_has_a_code_and_is_counted_under_it(row: Row) -> None:
    async with gateway() as gw:
        counts = Counts(gw)
        before = counts.snapshot()

        response = await send(gw, row)

        assert response.status_code == row.status, response.text[:500]
        error = first_error(response)
        assert error["extensions"]["code"] == row.code, error
        assert row.says in error["message"], error
        assert_coded(response, counts, before, counted=row.counted)


async def test_persisted_queries_switched_off_have_a_code() -> None:
    async with gateway(TIGHT.model_copy(update={"apq_enabled": False})) as gw:
        counts = Counts(gw)
        before = counts.snapshot()

        response = await send(gw, Row("", 0, "", apq(sha256("{ __typename }"))))

        assert first_error(response)["extensions"]["code"] == "PERSISTED_QUERY_NOT_SUPPORTED"
        assert_coded(response, counts, before)


async def test_an_untrusted_document_has_a_code(tmp_path: Path) -> None:
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps(build_manifest([TRUSTED])))
    async with gateway(TIGHT.model_copy(update={"trusted_documents_file": manifest})) as gw:
        counts = Counts(gw)
        before = counts.snapshot()

        response = await send(gw, Row("", 0, "", {"query": "{ __typename }"}))

        assert response.status_code == 400
        assert first_error(response)["extensions"]["code"] == "PERSISTED_QUERY_NOT_ALLOWED"
        assert_coded(response, counts, before)


async def test_the_rate_limit_has_a_code_and_whole_seconds() -> None:
    limited = TIGHT.model_copy(update={"rate_limit": RateLimitSettings(rate=0.5, burst=1)})
    async with gateway(limited) as gw:
        counts = Counts(gw)
        await gw.post("{ __typename }")
        before = counts.snapshot()

        response = await gw.post("{ __typename }")

        assert response.status_code == 429
        extensions = first_error(response)["extensions"]
        assert extensions["code"] == "RATE_LIMITED"
        assert extensions["retryAfter"] == 2 == int(response.headers["retry-after"])
        assert "RATE_LIMITED" in Counts.grown(before, counts.snapshot())


#: vendor calls cut short, no retries or breaker in the way, nothing served from cache
FAULTY = GatewaySettings(
    _env_file=None,
    http=dict.fromkeys(
        VENDORS,
        VendorHttpConfig(
            attempt_timeout=0.3,
            call_timeout=0.3,
            retry_attempts=1,
            retry_max_after=0.0,
            breaker=BreakerConfig(failure_threshold=1000, min_calls=1000),
        ),
    ),
    cache_ttls={**dict.fromkeys(DEFAULT_TTLS, 0.0), "customer": 3600.0},
    cache_stale_if_error=0,
)
COUPONS = "query($id: ID!) { customer(id: $id) { customerId coupons { value } } }"


@pytest.mark.parametrize(
    ("fault", "code"),
    [
        ({"down": True}, "UPSTREAM_UNAVAILABLE"),
        ({"fail_next": 10}, "UPSTREAM_UNAVAILABLE"),
        ({"hang": True}, "UPSTREAM_TIMEOUT"),
        ({"rate_limit_rate": 1.0, "retry_after_seconds": 3}, "RATE_LIMITED"),
    ],
    ids=["down", "5xx", "hang", "429"],
)
async def test_a_failing_vendor_nulls_its_field_with_a_code(
    fault: dict[str, Any], code: str
) -> None:
    async with gateway(FAULTY) as gw:
        await gw.post(COUPONS, {"id": CUSTOMER_ID})  # the customer is cached: only Talon fails
        gw.fault("talon", **fault)
        counts = Counts(gw)
        before = counts.snapshot()

        response = await gw.post(COUPONS, {"id": CUSTOMER_ID})

        assert response.status_code == 200
        body = response.json()
        assert body["data"]["customer"]["customerId"] == CUSTOMER_ID
        (error,) = body["errors"]
        assert error["extensions"]["code"] == code
        assert error["extensions"]["vendor"] == "talon"
        if code == "RATE_LIMITED":
            assert error["extensions"]["retryAfter"] == 3  # whole seconds, as an int
        assert_coded(response, counts, before)


def vendor_error_classes() -> Iterator[type[vendor_errors.VendorError]]:
    pending = [vendor_errors.VendorError]
    while pending:
        cls = pending.pop()
        yield cls
        pending += cls.__subclasses__()


def example(cls: type[vendor_errors.VendorError]) -> vendor_errors.VendorError:
    if issubclass(cls, CircuitOpenError):
        return cls("talon", "GET /x", retry_after=0.2)
    if issubclass(cls, vendor_errors.VendorRateLimitedError):
        return cls("talon", "GET /x", retry_after=1.5)
    if issubclass(cls, PathSegmentError):
        return cls("talon", "GET /x", "customerId", "is empty")
    return cls("talon", "GET /x")


@pytest.mark.parametrize("cls", list(vendor_error_classes()), ids=lambda c: c.__name__)
def test_every_class_of_vendor_error_has_a_code(cls: type[vendor_errors.VendorError]) -> None:
    raised = example(cls)
    error = GraphQLError("raised", path=["customer", "coupons"], original_error=raised)

    formatted = format_error(error)

    extensions = formatted.extensions or {}
    assert extensions["code"].isupper(), extensions
    assert extensions["vendor"] == "talon"
    assert "retryAfter" not in extensions or type(extensions["retryAfter"]) is int
    if isinstance(raised, CircuitOpenError):
        assert extensions == {
            "code": "UPSTREAM_UNAVAILABLE",
            "vendor": "talon",
            "retryable": True,
            "circuit": "open",
            "retryAfter": 1,  # 0.2 s rounds up: never "retry in 0 s"
        }


def test_an_unexpected_exception_is_masked_with_a_code() -> None:
    error = GraphQLError("boom", path=["customer"], original_error=ZeroDivisionError("x"))

    formatted = format_error(error)

    assert formatted.message == "Internal server error."
    assert (formatted.extensions or {})["code"] == "INTERNAL_SERVER_ERROR"


async def test_the_execution_timeout_has_a_code(monkeypatch: pytest.MonkeyPatch) -> None:
    send_to_vendor = VendorHttp.send

    async def stalled(self: VendorHttp, *args: Any, **kwargs: Any) -> httpx.Response:
        await asyncio.sleep(5)  # work the vendor cut-off does not reach
        return await send_to_vendor(self, *args, **kwargs)

    monkeypatch.setattr(VendorHttp, "send", stalled)
    short = GatewaySettings(_env_file=None, execution_timeout=0.3, vendor_deadline_margin=0.1)
    async with gateway(short) as gw:
        counts = Counts(gw)
        before = counts.snapshot()

        response = await gw.post(
            "query($id: ID!) { customer(id: $id) { email } }", {"id": CUSTOMER_ID}
        )

        assert first_error(response)["extensions"]["code"] == "EXECUTION_TIMEOUT"
        assert_coded(response, counts, before)

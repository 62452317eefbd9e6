"""Adversarial documents through the real ASGI app: each is refused with its code or
answered, within 50 ms of CPU, and the event loop never stalls 100 ms meanwhile (every
tenant shares it: one slow check before execution freezes them all). Also the rule that
a document with several operations needs an ``operationName`` naming one of them.

The documents are generated (:mod:`tests.schema.adversarial_documents`); every one is far
beyond one of the caps but within the token and body limits.
"""

from __future__ import annotations

import asyncio
import gc
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from gateway.http_compliance.negotiation import GRAPHQL_RESPONSE_JSON, JSON
from gateway.limits.document_shape import measure_document
from gateway.settings import GatewaySettings
from tests.schema import adversarial_documents as adv
from tests.schema.gateway_harness import Harness, harness

#: the issue's bounds: CPU of the whole request, and the longest the loop went unserved
CPU_BUDGET = 0.050
LAG_BUDGET = 0.100
TICK = 0.002


@dataclass
class Measured:
    response: httpx.Response
    cpu: float
    lag: float

    @property
    def codes(self) -> list[Any]:
        errors = self.response.json().get("errors") or []
        return [e.get("extensions", {}).get("code") for e in errors]


async def measured(gw: Harness, case: adv.Adversarial, accept: str = JSON) -> Measured:
    """Posts ``case`` while a ticker records the event loop's worst lag."""
    worst = 0.0
    stop = asyncio.Event()

    async def ticker() -> None:
        nonlocal worst
        last = time.perf_counter()
        while not stop.is_set():
            await asyncio.sleep(TICK)
            now = time.perf_counter()
            worst = max(worst, now - last - TICK)
            last = now

    # the garbage earlier tests left (the fuzzers make millions of objects) is collected
    # now, so a full collection it triggers is not charged to this document
    gc.collect()
    task = asyncio.create_task(ticker())
    await asyncio.sleep(TICK * 2)  # the ticker is running before the request starts
    headers = {"x-api-key": gw.key, "accept": accept}
    started = time.process_time()
    response = await gw.client.post("/graphql", json=case.body(), headers=headers)
    cpu = time.process_time() - started
    stop.set()
    await task
    return Measured(response, cpu, worst)


@pytest.fixture
async def warm() -> AsyncIterator[Harness]:
    """A gateway that has answered once (imports and first-call set-up are not counted)."""
    async with harness() as h:
        assert (await h.post("{ __typename }")).status_code == 200
        yield h


#: generator → the code it is refused with (None: answered without errors)
EXPECTED: list[tuple[Callable[[], adv.Adversarial], str | None]] = list(
    zip(
        adv.ADVERSARIAL,
        [
            "TOO_MANY_SELECTIONS",  # fragment chain, 20 levels
            "TOO_MANY_SELECTIONS",  # 25 levels
            "TOO_MANY_SELECTIONS",  # 30 levels
            "TOO_MANY_SELECTIONS",  # the chain below customer
            "TOO_MANY_ALIASES",  # 300 aliases
            "TOO_MANY_SELECTIONS",  # 800 times one field
            "GRAPHQL_PARSE_FAILED",  # 400 levels: the parser's own nesting bound
            "QUERY_TOO_DEEP",  # 100 levels
            "GRAPHQL_PARSE_FAILED",  # inline fragments 300 deep
            None,  # inline fragments 100 deep: they add no depth, answered
            "TOO_MANY_DIRECTIVES",
            "TOO_MANY_FRAGMENT_SPREADS",
            "BAD_USER_INPUT",  # 2,000 unknown input fields
            "BAD_REQUEST",  # variables nested 400 deep
            "BAD_USER_INPUT",  # 80 operations, no operationName
            None,  # 80 operations, one named
            "QUERY_TOO_LONG",  # 200 KB string argument
        ],
        strict=True,
    )
)


@pytest.mark.parametrize(("make", "code"), EXPECTED, ids=lambda p: getattr(p, "__name__", p))
async def test_an_adversarial_document_is_cheap_to_refuse_or_answer(
    warm: Harness, make: Callable[[], adv.Adversarial], code: str | None
) -> None:
    case = make()

    seen = await measured(warm, case)

    if code is None:
        assert seen.response.status_code == 200, seen.response.text[:300]
        assert "errors" not in seen.response.json()
    else:
        assert seen.codes[0] == code, (case.name, seen.response.text[:300])
    assert seen.cpu < CPU_BUDGET, f"{case.name}: {seen.cpu * 1000:.1f} ms of CPU"
    assert seen.lag < LAG_BUDGET, f"{case.name}: the loop stalled {seen.lag * 1000:.1f} ms"
    assert warm.calls() == 0


async def test_the_ids_name_each_case() -> None:
    names = [make().name for make, _ in EXPECTED]

    assert len(set(names)) == len(names)


def test_the_shape_of_a_doubling_chain_is_measured_without_expanding_it() -> None:
    from graphql import parse

    document = parse(adv.fragment_chain(30).query)

    started = time.process_time()
    shape = measure_document(document)

    assert time.process_time() - started < 0.01
    assert shape.selections == 2**30
    assert shape.spreads == 2 * 30 + 1
    assert shape.operations[0].measure.depth == 0  # __typename only: no nesting


def test_the_shape_counts_depth_aliases_and_directives_like_the_limits_do() -> None:
    from graphql import parse

    document = parse(
        """query Q { a: customer(id: "1") { ...C coupons @include(if: true) { value } } }
        fragment C on Customer { b: email transactions { edges { node { amount } } } }
        fragment Unused on Customer { __typename }"""
    )

    shape = measure_document(document)

    (operation,) = shape.operations
    # customer > transactions > edges > node (amount is a leaf): 4 levels
    assert (operation.label, operation.measure.depth) == ("Q", 4)
    assert shape.aliases == 2
    assert shape.directives == 1
    assert shape.spreads == 1
    # customer, email, transactions, edges, node, amount, coupons, value
    assert shape.selections == 8


def test_a_long_fragment_chain_or_a_cycle_does_not_exhaust_the_stack() -> None:
    from graphql import parse

    chain = [f"fragment L{i} on Query {{ ...L{i - 1} }}" for i in range(1, 3000)]
    cycle = "fragment X on Query { ...Y } fragment Y on Query { ...X __typename }"
    document = parse(
        "query A { ...L2999 } query B { ...X }\n"
        + "fragment L0 on Query { __typename }\n"
        + "\n".join(chain)
        + "\n"
        + cycle
    )

    shape = measure_document(document)

    assert [o.measure.selections for o in shape.operations] == [1, 1]


@pytest.mark.parametrize(("accept", "status"), [(GRAPHQL_RESPONSE_JSON, 400), (JSON, 200)])
async def test_several_operations_without_an_operation_name_are_refused(
    gw: Harness, accept: str, status: int
) -> None:
    customer = gw.acme.customers[0].customer_id
    query = f"""query First {{ customer(id: "{customer}") {{ email }} }}
    query Second {{ __typename }}"""

    response = await gw.client.post(
        "/graphql", json={"query": query}, headers={"x-api-key": gw.key, "accept": accept}
    )

    assert response.status_code == status
    body = response.json()
    assert body.get("data") is None
    assert body["errors"] == [
        {
            "message": "Must provide operation name if query contains multiple operations.",
            "extensions": {"code": "BAD_USER_INPUT", "parameter": "operationName"},
        }
    ]
    assert gw.calls() == 0  # the first operation did not run


async def test_an_operation_name_naming_no_operation_is_refused(gw: Harness) -> None:
    body = {"query": "query A { __typename } query B { __typename }", "operationName": "C"}

    response = await gw.client.post(
        "/graphql", json=body, headers={"x-api-key": gw.key, "accept": GRAPHQL_RESPONSE_JSON}
    )

    assert response.status_code == 400
    error = response.json()["errors"][0]
    assert error["message"] == 'Unknown operation named "C".'
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "parameter": "operationName"}


async def test_the_named_operation_runs_not_the_first(gw: Harness) -> None:
    customer = gw.acme.customers[0].customer_id
    query = f"""query First {{ customer(id: "{customer}") {{ email }} }}
    query Second {{ kind: __typename }}"""

    response = await gw.client.post(
        "/graphql",
        json={"query": query, "operationName": "Second"},
        headers={"x-api-key": gw.key},
    )

    assert response.json() == {"data": {"kind": "Query"}}
    assert gw.calls() == 0


async def test_one_operation_runs_without_an_operation_name(gw: Harness) -> None:
    query = "query Only { __typename } fragment Unused on Query { __typename }"

    body = await gw.query(query.replace(" fragment Unused on Query { __typename }", ""))

    assert body == {"data": {"__typename": "Query"}}


@pytest.fixture
async def tight() -> AsyncIterator[Harness]:
    settings = GatewaySettings(
        max_fragment_spreads=2, max_directives=1, max_selections=4, max_query_length=200
    )
    async with harness(settings) as h:
        yield h


@pytest.mark.parametrize(
    ("query", "code", "extensions"),
    [
        (
            "{ ...A ...A ...A } fragment A on Query { __typename }",
            "TOO_MANY_FRAGMENT_SPREADS",
            {"fragmentSpreads": 3, "maxFragmentSpreads": 2},
        ),
        (
            "{ __typename @include(if: true) a: __typename @skip(if: false) }",
            "TOO_MANY_DIRECTIVES",
            {"directives": 2, "maxDirectives": 1},
        ),
        (
            "{ ...A ...A } fragment A on Query { a: __typename b: __typename c: __typename }",
            "TOO_MANY_SELECTIONS",
            {"selections": 6, "maxSelections": 4},
        ),
        (
            "{ __typename }" + " " * 200,
            "QUERY_TOO_LONG",
            {"length": 214, "maxLength": 200},
        ),
    ],
)
async def test_each_cap_refuses_with_its_code_and_numbers(
    tight: Harness, query: str, code: str, extensions: dict[str, int]
) -> None:
    body = await tight.query(query)

    assert body["errors"][0]["extensions"] == {"code": code, **extensions}
    assert body.get("data") is None


async def test_a_document_at_the_caps_runs(tight: Harness) -> None:
    query = "{ ...A ...A } fragment A on Query { a: __typename b: __typename @skip(if: false) }"

    body = await tight.query(query)

    assert body == {"data": {"a": "Query", "b": "Query"}}

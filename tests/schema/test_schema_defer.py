"""``@defer`` and ``@stream``: answers in parts (``multipart/mixed``) through the real ASGI
app. In process the transport hands over the whole body at once, so these tests check the
parts' content, codes and upstream calls; tests/e2e checks that the first part really
leaves before a slow vendor's."""

from __future__ import annotations

import hashlib
import time
from typing import Any

import httpx

from gateway.http_compliance.responses import incremental_last_part
from gateway.limits.timeout import timeout_error
from tests.schema.gateway_harness import Harness, harness, patient_settings
from tests.support.multipart_parts import parts

MULTIPART = "multipart/mixed;deferSpec=20220824, application/json"

PROMOTIONS = "coupons { value state } promotionLoyalty { programs { name currentBalance } }"
PLAIN = f"""query($id: ID!) {{ customer(id: $id) {{
  customerId pointsBalance {{ points }} supportProfile {{ firstName }} {PROMOTIONS} }} }}"""
DEFERRED = f"""query($id: ID!) {{ customer(id: $id) {{
  customerId pointsBalance {{ points }} supportProfile {{ firstName }}
  ... @defer(label: "promotions") {{ {PROMOTIONS} }} }} }}"""
STREAMED = """query($id: ID!) { customer(id: $id) {
  customerId timeline @stream(initialCount: 1) { entryKind message occurredAt } } }"""


async def _post(
    gw: Harness, query: str, variables: dict[str, Any], *, accept: str = MULTIPART, **body: Any
) -> httpx.Response:
    headers = {"x-api-key": gw.key, "accept": accept}
    payload = {"query": query, "variables": variables, **body}
    return await gw.client.post("/graphql", json=payload, headers=headers)


def _parts(response: httpx.Response) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("multipart/mixed")
    return parts(response.content, response.headers["content-type"])


def _merged(found: list[dict[str, Any]]) -> dict[str, Any]:
    """The parts folded into one result, as a client's cache does (defer: merge objects at
    the path; stream: append items to the list at the path)."""
    data = found[0]["data"]
    for part in found[1:]:
        for item in part.get("incremental", []):
            target: Any = data
            for step in item["path"]:
                target = target[step]
            if "items" in item:
                target.extend(item["items"])
            else:
                target.update(item["data"])
    return data


def _cid(gw: Harness, index: int = 3) -> str:
    return str(gw.acme.customers[index].customer_id)


async def test_a_deferred_fragment_comes_in_a_later_part() -> None:
    async with harness() as gw:
        cid = _cid(gw)
        plain = await gw.query(PLAIN, {"id": cid})
        found = _parts(await _post(gw, DEFERRED, {"id": cid}))

    first, *later = found
    assert first["hasNext"] is True
    assert first["pending"] == [{"id": "0", "path": ["customer"], "label": "promotions"}]
    assert set(first["data"]["customer"]) == {"customerId", "pointsBalance", "supportProfile"}
    assert later[-1]["hasNext"] is False
    assert "errors" not in plain
    assert _merged(found) == plain["data"]


async def test_defer_makes_the_same_upstream_calls_as_without_it() -> None:
    calls = {}
    for query in (PLAIN, DEFERRED):
        async with harness() as gw:
            if query is PLAIN:
                await gw.query(query, {"id": _cid(gw)})
            else:
                _parts(await _post(gw, query, {"id": _cid(gw)}))
            calls[query] = {v: gw.endpoints(v) for v in ("tallymarks", "omnidesk", "talon")}

    assert calls[DEFERRED] == calls[PLAIN]


async def test_a_failing_vendor_in_a_deferred_part_is_coded_there(gw: Harness) -> None:
    gw.fault("talon", down=True)

    first, *later = _parts(await _post(gw, DEFERRED, {"id": _cid(gw)}))

    assert "errors" not in first  # the other vendors' fields arrived whole
    assert first["data"]["customer"]["pointsBalance"] is not None
    errors = [e for part in later for item in part.get("incremental", []) for e in item["errors"]]
    errors += [
        e for part in later for done in part.get("completed", []) for e in done.get("errors", [])
    ]
    assert errors
    for error in errors:
        assert error["extensions"]["code"] == "UPSTREAM_UNAVAILABLE"
        assert error["extensions"]["vendor"] == "talon"
        assert "Traceback" not in error["message"]


async def test_a_client_that_cannot_read_parts_is_refused_before_any_call(gw: Harness) -> None:
    for accept in ("application/json", "application/graphql-response+json", "*/*"):
        gw.reset_calls()
        response = await _post(gw, DEFERRED, {"id": _cid(gw)}, accept=accept)

        assert response.status_code == 406, accept
        (error,) = response.json()["errors"]
        assert error["extensions"]["code"] == "INCREMENTAL_DELIVERY_NOT_ACCEPTED"
        assert gw.calls() == 0


async def test_a_directive_spelled_with_spaces_is_still_seen(gw: Harness) -> None:
    spaced = DEFERRED.replace("@defer", "@ defer")

    response = await _post(gw, spaced, {"id": _cid(gw)}, accept="application/json")

    assert response.status_code == 406


async def test_the_word_defer_elsewhere_runs_as_usual(gw: Harness) -> None:
    response = await _post(gw, "query deferLater { __typename }", {}, accept="application/json")

    assert response.status_code == 200
    assert response.json() == {"data": {"__typename": "Query"}}


async def test_stream_sends_the_first_items_then_the_rest(gw: Harness) -> None:
    cid = _cid(gw, 5)
    plain = await gw.query(STREAMED.replace(" @stream(initialCount: 1)", ""), {"id": cid})

    found = _parts(await _post(gw, STREAMED, {"id": cid}))

    timeline = plain["data"]["customer"]["timeline"]
    assert len(found[0]["data"]["customer"]["timeline"]) == min(1, len(timeline))
    assert _merged(found) == plain["data"]


async def test_defer_works_with_automatic_persisted_queries(gw: Harness) -> None:
    digest = hashlib.sha256(DEFERRED.encode()).hexdigest()
    apq = {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": digest}}}
    headers = {"x-api-key": gw.key, "accept": MULTIPART}
    variables = {"id": _cid(gw)}

    miss = await gw.client.post("/graphql", json={"variables": variables, **apq}, headers=headers)
    registered = await _post(gw, DEFERRED, variables, **apq)
    by_hash = await gw.client.post(
        "/graphql", json={"variables": variables, **apq}, headers=headers
    )

    assert miss.json()["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
    assert _parts(registered)[0]["hasNext"] is True
    assert _merged(_parts(by_hash)) == _merged(_parts(registered))


async def test_answers_in_parts_are_never_response_cached(gw: Harness) -> None:
    variables = {"id": _cid(gw)}
    first = _parts(await _post(gw, DEFERRED, variables))

    again = await _post(gw, DEFERRED, variables)

    assert _parts(again) == first  # still parts, computed again (reads may be cached)


async def test_the_limits_apply_to_deferred_fields() -> None:
    async with harness(patient_settings(max_query_depth=2)) as gw:
        deep = """query($id: ID!) { customer(id: $id) { customerId
          ... @defer { supportProfile { brand { name } } } } }"""
        response = await _post(gw, deep, {"id": _cid(gw)})

        assert response.status_code == 200
        (error,) = response.json()["errors"]
        assert error["extensions"]["code"] == "QUERY_TOO_DEEP"
        assert gw.calls() == 0


async def test_the_operation_deadline_covers_the_deferred_parts() -> None:
    settings = patient_settings(execution_timeout=4.0)
    async with harness(settings) as gw:
        gw.fault("talon", hang=True)
        started = time.perf_counter()

        first, *later = _parts(await _post(gw, DEFERRED, {"id": _cid(gw)}))

        elapsed = time.perf_counter() - started
    assert first["data"]["customer"]["customerId"]
    codes = {
        e["extensions"]["code"]
        for part in later
        for entry in [*part.get("incremental", []), *part.get("completed", []), part]
        for e in entry.get("errors", [])
    }
    assert codes & {"UPSTREAM_TIMEOUT", "EXECUTION_TIMEOUT"}
    assert elapsed < 10  # the hung call was cut at the deadline, not at its 15 s attempt


def test_a_stream_cut_by_the_timeout_ends_with_a_part_that_says_so() -> None:
    content_type = 'multipart/mixed; boundary="-"'
    sent = (
        b"---\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: 27\r\n\r\n"
        b'{"data":{},"hasNext":true}\n\r\n---'
    )

    found = parts(sent + incremental_last_part(timeout_error(2.0)), content_type)

    assert found[-1]["hasNext"] is False
    assert found[-1]["errors"][0]["extensions"]["code"] == "EXECUTION_TIMEOUT"

"""Bad arguments to the activity feed are BAD_USER_INPUT naming the argument, before any
source is read: page sizes, empty source lists, and cursors that are garbage, altered, or
made for another feed (customer, sources or tenant)."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from resolvers.activity_cursor import FeedPosition, PagedPosition, encode_cursor, feed_scope
from resolvers.activity_items import Source
from tests.schema.activity_walk import feed_page
from tests.schema.gateway_harness import Harness

EVENTS = "GET /api/v1/customers/events"


def _error(body: dict[str, Any]) -> dict[str, Any]:
    assert body["data"] == {"customer": None}  # the feed is non-null: its customer goes
    (error,) = body["errors"]
    extensions: dict[str, Any] = error["extensions"]
    return extensions


def _altered(cursor: str) -> str:
    """The same cursor with its loyalty position moved on (its digest left as it was)."""
    body = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    body["l"][1] += 1
    return base64.urlsafe_b64encode(json.dumps(body).encode()).decode().rstrip("=")


async def _a_cursor(gw: Harness, customer_id: str, **kw: Any) -> str:
    body = await feed_page(gw, customer_id, 3, **kw)
    cursor: str = body["data"]["customer"]["activity"]["pageInfo"]["endCursor"]
    return cursor


@pytest.mark.parametrize("first", [0, -1, 101])
async def test_a_page_size_outside_1_to_100_is_bad_input(gw: Harness, first: int) -> None:
    body = await feed_page(gw, gw.acme.customers[0].customer_id, first)

    assert _error(body) == {"code": "BAD_USER_INPUT", "argument": "first"}
    assert gw.calls("tallymarks", EVENTS) == 0


async def test_an_empty_source_list_is_bad_input(gw: Harness) -> None:
    body = await feed_page(gw, gw.acme.customers[0].customer_id, 5, sources=[])

    assert _error(body) == {"code": "BAD_USER_INPUT", "argument": "sources"}


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


#: JSON nested 3,000 deep (under the 4,096-character string limit): the decoder's recursion
#: ran out, an internal error, before its RecursionError was bad input
DEEP = _b64(b"[" * 3000)
#: a digest over a body holding an integer orjson cannot encode
HUGE = _b64(b'{"v":1,"q":"x","l":[null,' + b"9" * 40 + b',false],"h":"0"}')


@pytest.mark.parametrize(
    "after",
    ["garbage!", "e30", "bm90IGpzb24", "W251bGwsMCwiMTIzIl0", DEEP, HUGE, "A" * 2000],
    ids=["not base64", "empty object", "not json", "a list", "deep", "huge int", "long junk"],
)
async def test_a_garbage_cursor_is_bad_input(gw: Harness, after: str) -> None:
    body = await feed_page(gw, gw.acme.customers[0].customer_id, 5, after)

    assert _error(body) == {"code": "BAD_USER_INPUT", "argument": "after"}
    assert gw.calls("tallymarks", EVENTS) == 0


async def test_an_altered_cursor_is_bad_input_and_reads_nothing(gw: Harness) -> None:
    customer_id = gw.acme.customers[2].customer_id
    cursor = await _a_cursor(gw, customer_id)
    gw.reset_calls()

    body = await feed_page(gw, customer_id, 5, _altered(cursor))

    assert _error(body) == {"code": "BAD_USER_INPUT", "argument": "after"}
    assert gw.calls() == 0


async def test_a_cursor_pages_only_the_feed_that_made_it(gw: Harness) -> None:
    mine, theirs = (c.customer_id for c in gw.acme.customers[2:4])
    cursor = await _a_cursor(gw, mine)
    support_only = await _a_cursor(gw, mine, sources=["SUPPORT"])

    other_customer = await feed_page(gw, theirs, 5, cursor)
    other_sources = await feed_page(gw, mine, 5, cursor, sources=["SUPPORT"])
    widened = await feed_page(gw, mine, 5, support_only)

    for body in (other_customer, other_sources, widened):
        assert _error(body) == {"code": "BAD_USER_INPUT", "argument": "after"}


async def test_a_cursor_of_another_tenant_is_bad_input(gw: Harness) -> None:
    acme_cursor = await _a_cursor(gw, gw.acme.customers[2].customer_id)
    # the same position and customer id, but fingerprinted for acme: globex can't use it
    globex_customer = gw.globex.customers[2].customer_id

    body = await feed_page(gw, globex_customer, 5, acme_cursor, key="key-globex")

    assert _error(body) == {"code": "BAD_USER_INPUT", "argument": "after"}


async def test_a_cursor_whose_vendor_key_the_vendor_refuses_is_bad_input(gw: Harness) -> None:
    customer_id = gw.acme.customers[2].customer_id
    scope = feed_scope("acme", customer_id, [Source.LOYALTY])
    forged = encode_cursor(FeedPosition({Source.LOYALTY: PagedPosition("bm9wZQ", 0)}), scope)

    body = await feed_page(gw, customer_id, 5, forged, sources=["LOYALTY"])

    assert _error(body) == {"code": "BAD_USER_INPUT", "argument": "after"}
    assert "bm9wZQ" not in json.dumps(body)


def test_a_cursor_made_before_orjson_digests_still_decodes() -> None:
    """Cursors were digested over the stdlib's JSON, which escapes non-ASCII text where
    orjson writes it as is: one a client holds across the upgrade must still page."""
    from resolvers.activity_cursor import _stdlib_digest, decode_cursor

    scope = feed_scope("acme", "c1", [Source.LOYALTY])
    body: dict[str, Any] = {"v": 1, "q": scope, "l": ["clé-ß", 2, False]}
    body["h"] = _stdlib_digest(body)
    made_before = _b64(json.dumps(body, separators=(",", ":")).encode())

    position = decode_cursor(made_before, scope, [Source.LOYALTY])

    assert position.positions[Source.LOYALTY] == PagedPosition("clé-ß", 2, False)
    assert encode_cursor(position, scope) != made_before  # re-made with the new digest

"""The path-segment rule: what may go into a vendor URL path, and that the clients keep it.

Every refusal is a :class:`PathSegmentError` naming the path parameter, raised before any
request is sent (the transport below records every request it is given).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from gateway.errors import vendor_error_extensions
from vendors.errors import VendorInvalidInputError
from vendors.omnidesk import OmnideskClient, omnidesk_http
from vendors.omnidesk.config import OmnideskConfig
from vendors.path_segments import (
    INT64_MAX,
    MAX_TEXT_SEGMENT,
    PathSegmentError,
    guid_segment,
    number_segment,
    parse_ascii_number,
    text_segment,
)
from vendors.tallymarks import TallymarksClient, tallymarks_http
from vendors.tallymarks.config import TallymarksConfig
from vendors.talon import TalonClient, talon_http
from vendors.talon import endpoints as ep
from vendors.talon.config import TalonConfig

GUID = "3f2b1c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"
WHERE = {"vendor": "talon", "endpoint": "GET /x/{id}", "param": "id"}

#: refused for every kind of id
ALWAYS_REFUSED = [
    "",
    " ",
    ".",
    "..",
    "./x",
    "../x",
    "a/b",
    "/x",
    "a\\b",
    "%2F",
    "%2f",
    "%5C",
    "%2e",
    "%2e%2e",
    "%2E%2E",
    "%252e%252e",
    "%25252F",
    "..%2Fx",
    "\r\n",
    "x\r\nX-Injected: 1",
    "\x00",
    "%00",
    "a\tb",
    "a\u202eb",
    "a\u200bb",
    "a\u2028b",
    " x",
    "x ",
    "x" * (MAX_TEXT_SEGMENT + 1),
]


@pytest.mark.parametrize("value", ALWAYS_REFUSED, ids=repr)
def test_text_refuses_what_could_leave_its_segment(value: str) -> None:
    with pytest.raises(PathSegmentError) as raised:
        text_segment(value, **WHERE)

    assert (raised.value.param, raised.value.field, raised.value.status) == ("id", "id", None)
    assert raised.value.vendor == "talon"
    assert raised.value.endpoint == "GET /x/{id}"


@pytest.mark.parametrize(
    ("value", "encoded"),
    [
        ("abc", "abc"),
        ("?x=1", "%3Fx%3D1"),
        ("#", "%23"),
        ("a.b", "a.b"),
        ("...", "..."),
        ("100%", "100%25"),
        ("%zz", "%25zz"),
        ("ümlaut", "%C3%BCmlaut"),
        ("\u0663", "%D9%A3"),
        ("a b", "a%20b"),
        ("x" * MAX_TEXT_SEGMENT, "x" * MAX_TEXT_SEGMENT),
    ],
)
def test_text_encodes_the_rest_as_exactly_one_segment(value: str, encoded: str) -> None:
    segment = text_segment(value, **WHERE)

    assert segment == encoded
    assert "/" not in segment
    assert segment not in {".", ".."}


@pytest.mark.parametrize("value", [GUID, GUID.upper()])
def test_a_guid_passes_unchanged(value: str) -> None:
    assert guid_segment(value, **WHERE) == value


@pytest.mark.parametrize(
    "value",
    [
        *ALWAYS_REFUSED,
        GUID.replace("-", ""),
        "{" + GUID + "}",
        "urn:uuid:" + GUID,
        GUID + "/..",
        GUID[:-1] + "\u0663",
        GUID[:-1] + "g",
        GUID + "\n",
    ],
    ids=repr,
)
def test_anything_but_a_hyphenated_ascii_guid_is_refused(value: str) -> None:
    with pytest.raises(PathSegmentError):
        guid_segment(value, **WHERE)


@pytest.mark.parametrize(
    ("value", "number"),
    [("1", 1), ("3", 3), ("0042", 42), (str(INT64_MAX), INT64_MAX), (7, 7), (INT64_MAX, INT64_MAX)],
)
def test_numbers_are_ascii_digits_within_int64(value: str | int, number: int) -> None:
    assert parse_ascii_number(value) == number
    assert number_segment(value, **WHERE) == str(number)


@pytest.mark.parametrize(
    "value",
    [
        "\u0663",  # ARABIC-INDIC DIGIT THREE: str.isdigit() is True, int() reads 3
        "\u00b9",  # SUPERSCRIPT ONE: str.isdigit() is True, int() raises
        "\uff13",  # FULLWIDTH DIGIT THREE
        "0",
        0,
        -1,
        "-1",
        "+1",
        " 1",
        "1 ",
        "1.0",
        "1e3",
        "0x1",
        "1_000",
        str(INT64_MAX + 1),
        INT64_MAX + 1,
        "9" * 30,
        True,
        ".",
        "",
    ],
    ids=repr,
)
def test_anything_else_is_not_a_number(value: Any) -> None:
    assert parse_ascii_number(value) is None
    with pytest.raises(PathSegmentError):
        number_segment(value, **WHERE)


def test_the_refusal_is_answered_as_bad_user_input_naming_the_parameter() -> None:
    with pytest.raises(PathSegmentError) as raised:
        text_segment("..", **WHERE)

    assert isinstance(raised.value, VendorInvalidInputError)
    message, extensions = vendor_error_extensions(raised.value)
    assert extensions == {
        "code": "BAD_USER_INPUT",
        "vendor": "talon",
        "retryable": False,
        "field": "id",
    }
    assert ".." not in message


# --- the clients keep the rule, before any I/O ------------------------------------------------


class NoRequests(httpx.AsyncBaseTransport):
    """Records what reaches the network (nothing may)."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return httpx.Response(599)


def _tallymarks(transport: NoRequests) -> TallymarksClient:
    http = tallymarks_http(httpx.AsyncClient(transport=transport))
    config = TallymarksConfig(
        customer_base_url="http://tallymarks.test",
        event_base_url="http://tallymarks.test",
        tenant_id=GUID,
        api_key=SecretStr("k"),
        api_secret=SecretStr("s"),
    )
    return TallymarksClient(http, config)


def _talon(transport: NoRequests) -> TalonClient:
    http = talon_http(httpx.AsyncClient(transport=transport))
    return TalonClient(http, TalonConfig(base_url="http://talon.test", api_key=SecretStr("k")))


def _omnidesk(transport: NoRequests) -> OmnideskClient:
    http = omnidesk_http(httpx.AsyncClient(transport=transport))
    config = OmnideskConfig(base_url="http://omnidesk.test", api_key=SecretStr("k"), brand_id=1)
    return OmnideskClient(http, config)


Call = Callable[[Any], Awaitable[object]]

CALLS: list[tuple[str, str, Callable[[NoRequests], Any], Callable[[Any], Awaitable[object]]]] = [
    ("tallymarks", "customerId", _tallymarks, lambda c: c.get_customer(".")),
    ("tallymarks", "customerId", _tallymarks, lambda c: c.get_balance("..")),
    ("tallymarks", "customerId", _tallymarks, lambda c: c.get_segments("%2e%2e")),
    ("tallymarks", "customerId", _tallymarks, lambda c: c.remove_segment("a/b", GUID)),
    ("tallymarks", "segmentId", _tallymarks, lambda c: c.remove_segment(GUID, "..")),
    ("talon", "integrationId", _talon, lambda c: c.delete_customer_data("..")),
    ("talon", "integrationId", _talon, lambda c: c.get_customer_inventory(".")),
    ("talon", "customerSessionId", _talon, lambda c: c.get_customer_session("a/b")),
    ("talon", "audienceId", _talon, lambda c: c.delete_audience_v2("\u0663")),
    ("talon", "audienceId", _talon, lambda c: c.delete_audience_memberships_v2(-3)),
    ("omnidesk", "id", _omnidesk, lambda c: c.get_customer(0)),
    ("omnidesk", "channelId", _omnidesk, lambda c: c.delete_channel(1, INT64_MAX + 1)),
]


@pytest.mark.parametrize(
    ("vendor", "param", "make", "call"),
    CALLS,
    ids=[f"{c[0]}-{c[1]}-{i}" for i, c in enumerate(CALLS)],
)
async def test_a_client_refuses_before_sending(
    vendor: str, param: str, make: Callable[[NoRequests], Any], call: Call
) -> None:
    transport = NoRequests()
    client = make(transport)

    with pytest.raises(PathSegmentError) as raised:
        await call(client)

    assert transport.requests == []
    assert (raised.value.vendor, raised.value.param) == (vendor, param)


def test_every_talon_path_parameter_is_checked() -> None:
    for endpoint in vars(ep).values():
        if not isinstance(endpoint, ep.Endpoint) or "{" not in endpoint.template:
            continue
        params = [p.split("}")[0] for p in endpoint.template.split("{")[1:]]
        good: dict[str, str | int] = {p: 7 if p in ep.NUMERIC_PARAMS else "ok" for p in params}
        assert ".." not in endpoint.path(**good)
        for param in params:  # each one alone refused
            with pytest.raises(PathSegmentError):
                endpoint.path(**{**good, param: ".."})

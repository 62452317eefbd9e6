"""A vendor's body is input too: one nested deeper than the JSON decoder recurses is read
as "not JSON" by every vendor's error parser (its ``RecursionError`` used to escape them
all and end as an internal error), and a client call over it fails as the vendor failing."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from tests.clients.tallymarks.tmc_support import ACME, config_for
from vendors.errors import VendorInvalidInputError, VendorUnavailableError
from vendors.http import VendorRejection, build_async_client
from vendors.omnidesk.errors import parse_error as omnidesk_error
from vendors.tallymarks import TallymarksClient
from vendors.tallymarks.client import tallymarks_http
from vendors.tallymarks.errors import parse_error as tallymarks_error
from vendors.talon.errors import parse_error as talon_error
from vendors.transport import VendorResponse

DEEP = [b"[" * 100_000, b'{"a":' * 100_000, b'{"status": "error", "message": ' + b"[" * 100_000]
HEADERS = httpx.Headers({"content-type": "application/json"})


@pytest.mark.parametrize("body", DEEP, ids=["arrays", "objects", "error envelope"])
def test_a_deep_body_is_not_json(body: bytes) -> None:
    with pytest.raises(ValueError, match="nested too deeply"):
        VendorResponse(400, HEADERS, body).json()


@pytest.mark.parametrize(
    "parse",
    [tallymarks_error, omnidesk_error, talon_error],
    ids=["tallymarks", "omnidesk", "talon"],
)
@pytest.mark.parametrize("body", DEEP, ids=["arrays", "objects", "error envelope"])
def test_every_error_parser_reads_a_deep_body_as_no_rejection(
    parse: Callable[[VendorResponse], VendorRejection], body: bytes
) -> None:
    assert parse(VendorResponse(400, HEADERS, body)) == VendorRejection()


@pytest.mark.parametrize(
    ("status", "error"), [(400, VendorInvalidInputError), (503, VendorUnavailableError)]
)
async def test_a_client_call_answered_with_a_deep_body_is_the_vendor_failing(
    status: int, error: type[Exception]
) -> None:
    def vendor(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, content=DEEP[0], headers=HEADERS)

    async with build_async_client(transport=httpx.MockTransport(vendor)) as pooled:
        client = TallymarksClient(tallymarks_http(pooled), config_for(ACME))
        with pytest.raises(error):
            await client.get_customer("0c8e5a52-4f2b-4b7a-9a51-1f0d2c3b4a59")

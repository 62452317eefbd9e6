"""Omnidesk rejections → the error tree: field extraction, not found, conflict, auth."""

from __future__ import annotations

import httpx
import pytest
from pydantic import SecretStr

from tests.clients.omnidesk.support import ACME, GLOBEX, NO_RETRY, config
from vendors.errors import (
    VendorConflictError,
    VendorInvalidInputError,
    VendorNotFoundError,
    VendorUnauthorizedError,
    VendorUnavailableError,
)
from vendors.http import VendorHttp, VendorRejection, VendorResponse, build_async_client
from vendors.omnidesk import (
    CustomerChanges,
    NewCustomer,
    OmnideskClient,
    is_error_body,
    omnidesk_http,
    parse_error,
)

ERROR_200 = {"status": "error", "message": "This form does not exist."}


async def test_a_vendor_400_names_the_field(omnidesk: OmnideskClient) -> None:
    with pytest.raises(VendorInvalidInputError) as caught:
        await omnidesk.create_customer(NewCustomer(primary_id="x", extra_email="not-an-email"))

    error = caught.value
    assert (error.status, error.field) == (400, "extra_email")
    assert error.message == "Field 'extra_email' must be a valid email address."


async def test_a_duplicate_primary_id_is_a_conflict(omnidesk: OmnideskClient) -> None:
    with pytest.raises(VendorConflictError) as caught:
        await omnidesk.create_customer(NewCustomer(primary_id=ACME.customers[0].customer_id))

    assert (caught.value.status, caught.value.code) == (400, "duplicate")


async def test_an_unknown_customer_is_not_found(omnidesk: OmnideskClient) -> None:
    with pytest.raises(VendorNotFoundError) as caught:
        await omnidesk.update_customer_by_external_id("nobody", CustomerChanges(firstname="A"))

    assert caught.value.code == "not_found"


async def test_a_bad_key_is_unauthorized(http: VendorHttp) -> None:
    bad = config(ACME).model_copy(update={"api_key": SecretStr("nope")})

    with pytest.raises(VendorUnauthorizedError) as caught:
        await OmnideskClient(http, bad).list_customers()

    assert (caught.value.status, caught.value.message) == (401, "Invalid API key.")


async def test_a_read_only_key_cannot_write(read_only: OmnideskClient) -> None:
    await read_only.list_customers()

    with pytest.raises(VendorUnauthorizedError) as caught:
        await read_only.create_customer(NewCustomer(primary_id="ro"))

    assert caught.value.status == 403


async def test_another_tenants_brand_is_not_found(omnidesk: OmnideskClient) -> None:
    with pytest.raises(VendorNotFoundError) as caught:
        await omnidesk.search_by_customer_channel_value("a@b.nl", brand_id=GLOBEX.omnidesk_brand_id)

    assert caught.value.message == "Brand not found."


async def test_an_error_body_under_200_is_still_an_error() -> None:
    transport = httpx.MockTransport(lambda _r: httpx.Response(200, json=ERROR_200))
    async with build_async_client(transport=transport) as client:
        omnidesk = OmnideskClient(omnidesk_http(client, NO_RETRY), config(ACME))

        with pytest.raises(VendorInvalidInputError) as caught:
            await omnidesk.list_customers()

    assert (caught.value.status, caught.value.message) == (200, "This form does not exist.")


async def test_a_malformed_success_body_is_unavailable() -> None:
    transport = httpx.MockTransport(lambda _r: httpx.Response(200, text="<html>maintenance</html>"))
    async with build_async_client(transport=transport) as client:
        omnidesk = OmnideskClient(omnidesk_http(client, NO_RETRY), config(ACME))

        with pytest.raises(VendorUnavailableError):
            await omnidesk.get_customer(1)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            {"status": "error", "message": "Field 'brandID' is required."},
            VendorRejection("Field 'brandID' is required.", None, "brandID"),
        ),
        (
            {"status": "error", "message": "Customer not found."},
            VendorRejection("Customer not found.", "not_found", None),
        ),
        ({"status": "error", "message": "x" * 500}, VendorRejection("x" * 160, None, None)),
        ({"type": "result", "message": "Customer updated."}, VendorRejection()),
    ],
)
def test_parse_error(body: dict[str, str], expected: VendorRejection) -> None:
    assert parse_error(httpx.Response(400, json=body)) == expected


@pytest.mark.parametrize(
    ("response", "is_error"),
    [
        (httpx.Response(200, json=ERROR_200), True),
        (httpx.Response(200, json={"type": "result", "message": "ok"}), False),
        (httpx.Response(200, json=[{"status": "error"}]), False),
        (httpx.Response(200, text="not json"), False),
        (VendorResponse(200, {}, b'{"status":"error","message":"m"}'), True),
        # JSON may escape any letter: the quick look for "error" must not miss it
        (VendorResponse(200, {}, b'{"status":"\\u0065rror","message":"m"}'), True),
        (VendorResponse(200, {}, b'{"type":"items","items":[]}'), False),
    ],
)
def test_is_error_body(response: httpx.Response | VendorResponse, is_error: bool) -> None:
    assert is_error_body(response) is is_error

"""The package's public names, and credentials that never show."""

from __future__ import annotations

import pytest

import vendors.omnidesk as omnidesk_package
from tests.clients.omnidesk.support import ACME, config
from vendors.errors import VendorError
from vendors.http import VendorHttp
from vendors.omnidesk import NewCustomer, OmnideskAuth, OmnideskClient

EXPORTED = {
    "ActionResult",
    "Channel",
    "ChannelInput",
    "CrmChannel",
    "Customer",
    "CustomerChanges",
    "CustomerList",
    "CustomerPage",
    "CustomerSummary",
    "ExternalEvent",
    "NewChannels",
    "NewCustomer",
    "OmnideskAuth",
    "OmnideskClient",
    "OmnideskConfig",
    "Timeline",
    "TimelineEntry",
    "is_error_body",
    "omnidesk_http",
    "parse_error",
}


def test_the_public_names_do_not_drift() -> None:
    assert set(omnidesk_package.__all__) == EXPORTED
    assert all(hasattr(omnidesk_package, name) for name in EXPORTED)


def test_the_key_is_not_in_any_repr(http: VendorHttp) -> None:
    cfg = config(ACME)
    secret = ACME.omnidesk_api_key

    shown = [repr(cfg), str(cfg), repr(OmnideskAuth(cfg.api_key)), repr(OmnideskClient(http, cfg))]

    assert all(secret not in text for text in shown)
    assert cfg.model_dump_json().count(secret) == 0


async def test_the_key_is_not_in_errors(read_only: OmnideskClient) -> None:
    with pytest.raises(VendorError) as caught:
        await read_only.create_customer(NewCustomer(primary_id="x"))

    error = caught.value
    for key in (ACME.omnidesk_read_only_key, ACME.omnidesk_api_key):
        assert key not in str(error)
        assert key not in repr(error)
        assert key not in repr(vars(error))

"""Fault injection in the sandbox → the exact error class, and the pinned retry counts."""

from __future__ import annotations

import time

import pytest
from fastapi import FastAPI

from tests.clients.omnidesk.support import ACME, counters, set_faults
from vendors.errors import (
    VendorRateLimitedError,
    VendorUnavailableError,
)
from vendors.omnidesk import NewCustomer, OmnideskClient

INDEX = "GET /api/v2/customer"
SEARCH = "POST /api/v2/customer/SearchByPrimaryExternalID"


async def test_a_down_vendor_is_unavailable(omnidesk: OmnideskClient, app: FastAPI) -> None:
    await set_faults(app, down=True)

    with pytest.raises(VendorUnavailableError) as caught:
        await omnidesk.list_customers()

    assert (caught.value.status, caught.value.message) == (None, "unreachable")
    assert await counters(app) == {INDEX: 3}


async def test_a_5xx_is_unavailable_after_the_retries(
    omnidesk: OmnideskClient, app: FastAPI
) -> None:
    await set_faults(app, error_rate=1.0, error_status=502)

    with pytest.raises(VendorUnavailableError) as caught:
        await omnidesk.list_customers()

    assert caught.value.status == 502
    assert await counters(app) == {INDEX: 3}


async def test_one_5xx_on_a_get_is_retried_once(omnidesk: OmnideskClient, app: FastAPI) -> None:
    await set_faults(app, fail_next=1)

    page = await omnidesk.list_customers()

    assert page.item_total > 0
    assert await counters(app) == {INDEX: 2}


async def test_a_post_is_not_retried(omnidesk: OmnideskClient, app: FastAPI) -> None:
    await set_faults(app, fail_next=1)

    with pytest.raises(VendorUnavailableError):
        await omnidesk.create_customer(NewCustomer(primary_id="once"))

    assert await counters(app) == {"POST /api/v2/customer": 1}
    assert await omnidesk.search_by_primary_external_id("once") is None


async def test_a_read_only_search_post_is_retried(omnidesk: OmnideskClient, app: FastAPI) -> None:
    await set_faults(app, fail_next=1)

    found = await omnidesk.search_by_primary_external_id(ACME.customers[0].customer_id)

    assert found is not None
    assert await counters(app) == {SEARCH: 2}


async def test_a_429_with_a_long_retry_after_is_rate_limited(
    omnidesk: OmnideskClient, app: FastAPI
) -> None:
    await set_faults(app, rate_limit_rate=1.0, retry_after_seconds=7)

    with pytest.raises(VendorRateLimitedError) as caught:
        await omnidesk.list_customers()

    assert (caught.value.status, caught.value.retry_after) == (429, 7.0)
    assert await counters(app) == {INDEX: 1}


async def test_a_429_with_a_short_retry_after_is_retried(
    omnidesk: OmnideskClient, app: FastAPI
) -> None:
    await set_faults(app, rate_limit_rate=1.0, retry_after_seconds=0)

    with pytest.raises(VendorRateLimitedError) as caught:
        await omnidesk.list_customers()

    assert caught.value.message == "Too many requests."
    assert await counters(app) == {INDEX: 3}


async def test_latency_slows_but_does_not_fail(omnidesk: OmnideskClient, app: FastAPI) -> None:
    await set_faults(app, latency_ms=60)
    started = time.perf_counter()

    page = await omnidesk.list_customers(item_limit=1)

    assert time.perf_counter() - started >= 0.06
    assert len(page.items) == 1

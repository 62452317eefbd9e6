"""Faults injected in the sandbox map to the exact error classes; retries are pinned."""

from __future__ import annotations

import time

import pytest

from tests.clients.tallymarks.tmc_support import ACME, guid, new_app, sandbox
from tests.support.live_server import live_server
from vendors.errors import (
    VendorNotFoundError,
    VendorRateLimitedError,
    VendorTimeoutError,
    VendorUnavailableError,
)
from vendors.http import RetryPolicy
from vendors.http_config import VendorHttpConfig
from vendors.tallymarks import ActionEvent, CustomerCreate

CUSTOMER = ACME.customers[0].customer_id
GET_CUSTOMER = "GET /api/v1/customers/{customerId}"
ONE_TRY = RetryPolicy(attempts=1)


async def test_a_get_is_retried_once_after_one_5xx() -> None:
    async with sandbox() as sb:
        await sb.faults(fail_next=1)
        customer = await sb.client.get_customer(CUSTOMER)
        calls = await sb.calls(GET_CUSTOMER)
    assert customer.customer_id == CUSTOMER
    assert calls == 2


async def test_a_persistent_5xx_is_unavailable_after_all_attempts() -> None:
    async with sandbox() as sb:
        await sb.faults(error_rate=1.0, error_status=502)
        with pytest.raises(VendorUnavailableError) as caught:
            await sb.client.get_customer(CUSTOMER)
        calls = await sb.calls(GET_CUSTOMER)
    assert type(caught.value) is VendorUnavailableError
    assert caught.value.status == 502
    assert calls == 3


async def test_a_create_is_not_retried() -> None:
    customer_id = guid()
    async with sandbox() as sb:
        await sb.faults(fail_next=1)
        with pytest.raises(VendorUnavailableError):
            await sb.client.create_customer(CustomerCreate(customer_id=customer_id))
        calls = await sb.calls("POST /api/v1/customers")
        with pytest.raises(VendorNotFoundError):
            await sb.client.get_customer(customer_id)
    assert calls == 1


async def test_an_event_post_is_retried_because_its_event_id_makes_it_idempotent() -> None:
    event = ActionEvent(customer_id=guid(), name_space="Customer.Registration")
    async with sandbox() as sb:
        await sb.faults(fail_next=1)
        accepted = await sb.client.track_action(event)
        calls = await sb.calls("POST /api/v1/events/actions")
        balance = await sb.client.get_balance(event.customer_id)
    assert (accepted.is_existing, calls, balance.amount) == (False, 2, 100)


async def test_down_in_process_is_unavailable() -> None:
    async with sandbox() as sb:
        await sb.faults(down=True)
        with pytest.raises(VendorUnavailableError) as caught:
            await sb.client.get_customer(CUSTOMER)
        calls = await sb.calls(GET_CUSTOMER)
    assert type(caught.value) is VendorUnavailableError
    assert caught.value.status is None
    assert calls == 3


async def test_429_is_rate_limited_and_honours_retry_after() -> None:
    async with sandbox() as sb:
        await sb.faults(rate_limit_rate=1.0, retry_after_seconds=1)
        with pytest.raises(VendorRateLimitedError) as caught:
            await sb.client.get_customer(CUSTOMER)
        calls = await sb.calls(GET_CUSTOMER)
    assert (caught.value.status, caught.value.retry_after) == (429, 1.0)
    assert calls == 3
    assert len(sb.sleeps) == 2
    assert min(sb.sleeps) >= 1.0


async def test_latency_within_the_timeout_still_answers() -> None:
    async with sandbox() as sb:
        await sb.faults(latency_ms=60)
        started = time.perf_counter()
        customer = await sb.client.get_customer(CUSTOMER)
        elapsed = time.perf_counter() - started
    assert customer.customer_id == CUSTOMER
    assert elapsed >= 0.06


@pytest.mark.e2e
async def test_over_http_down_hang_and_slow_map_to_their_errors() -> None:
    # long enough for a loaded CI machine, short enough to keep the test quick
    settings = VendorHttpConfig(connect_timeout=2.0, read_timeout=1.0)
    app = new_app()
    with live_server(app) as url:
        async with sandbox(app, base_url=url, settings=settings, retry=ONE_TRY) as sb:
            await sb.faults(down=True)
            with pytest.raises(VendorUnavailableError) as down:
                await sb.client.get_customer(CUSTOMER)
            await sb.faults(hang=True, hang_seconds=3.0)
            with pytest.raises(VendorTimeoutError) as hang:
                await sb.client.get_customer(CUSTOMER)
            await sb.faults(latency_ms=2500)
            with pytest.raises(VendorTimeoutError) as slow:
                await sb.client.get_customer(CUSTOMER)
            await sb.faults()
            customer = await sb.client.get_customer(CUSTOMER)
    assert type(down.value) is VendorUnavailableError
    assert (hang.value.status, slow.value.status) == (None, None)
    assert customer.customer_id == CUSTOMER

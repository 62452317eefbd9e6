"""Error mapping, retries, client-side limits and credential safety."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import httpx
import pytest
from pydantic import SecretStr

from tests.clients.talon import payloads as p
from tests.clients.talon.fakes import API_KEY, FakeTalon, Sleeps, make_client
from vendors.errors import (
    VendorConflictError,
    VendorInvalidInputError,
    VendorNotFoundError,
    VendorRateLimitedError,
    VendorTimeoutError,
    VendorUnauthorizedError,
    VendorUnavailableError,
)
from vendors.http import RetryPolicy
from vendors.talon import (
    OVERLAP_CONFLICT_CODE,
    TalonAuth,
    TalonClient,
    TalonConfig,
    parse_error,
)
from vendors.talon.errors import pointer_to_field
from vendors.talon.models import (
    CartItem,
    CouponReservations,
    CustomerProfileAudienceRequest,
    CustomerProfileAudienceRequestItem,
    CustomerProfileIntegrationRequestV2,
    IntegrationEventV2Request,
    IntegrationRequest,
    NewAudience,
    NewCustomerSessionV2,
    NewReferral,
    NewReferralsForMultipleAdvocates,
)

Call = Callable[[TalonClient], Awaitable[object]]
OPEN = IntegrationRequest(customer_session=NewCustomerSessionV2(profile_id="c-1"))
HTML_503 = "<html><body><h1>503</h1><p>upstream connect error SECRET-BODY</p></body></html>"


def _html(status: int) -> httpx.Response:
    return httpx.Response(status, text=HTML_503, headers={"content-type": "text/html"})


# -- parse_error --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pointer", "field"),
    [
        ("/customerSession/state", "customerSession.state"),
        ("/attributes/MyAttribute", "attributes.MyAttribute"),
        ("/customerSession/cartItems/0/sku", "customerSession.cartItems.0.sku"),
        ("/a~1b/c~0d", "a/b.c~d"),
        ("/", None),
    ],
)
def test_pointer_to_field(pointer: str, field: str | None) -> None:
    assert pointer_to_field(pointer) == field


def test_parse_error_reads_an_error_response() -> None:
    rejection = parse_error(httpx.Response(400, json=p.VALIDATION_ERROR))

    assert (rejection.message, rejection.code, rejection.field) == (
        "The submitted data was invalid",
        "enum",
        "customerSession.state",
    )


def test_parse_error_reads_an_error_response_with_status_and_a_parameter() -> None:
    rejection = parse_error(httpx.Response(400, json=p.VALIDATION_ERROR_WITH_STATUS))

    assert (rejection.message, rejection.code, rejection.field) == (
        "Invalid query parameter",
        "Invalid type",
        "silent",
    )


@pytest.mark.parametrize(
    "response",
    [
        _html(502),
        httpx.Response(400, json=[1, 2]),
        httpx.Response(400, content=b""),
        httpx.Response(409, json={}),
    ],
)
def test_parse_error_is_empty_for_bodies_that_are_not_talon_errors(
    response: httpx.Response,
) -> None:
    rejection = parse_error(response)

    assert (rejection.message, rejection.code, rejection.field) == ("", None, None)


# -- status mapping -----------------------------------------------------------------------


async def test_400_error_response_is_invalid_input_with_the_field(
    talon: TalonClient, fake: FakeTalon
) -> None:
    fake.queue(httpx.Response(400, json=p.VALIDATION_ERROR))

    with pytest.raises(VendorInvalidInputError) as caught:
        await talon.update_customer_session_v2("S-1", OPEN)

    error = caught.value
    assert (error.status, error.field, error.code) == (400, "customerSession.state", "enum")
    assert error.endpoint == "PUT /v2/customer_sessions/{customerSessionId}"
    assert error.vendor == "talon"
    assert "must be one of" not in str(error)  # details are never kept


async def test_400_error_response_with_status_is_invalid_input(
    talon: TalonClient, fake: FakeTalon
) -> None:
    fake.queue(httpx.Response(400, json=p.VALIDATION_ERROR_WITH_STATUS))

    with pytest.raises(VendorInvalidInputError) as caught:
        await talon.track_event_v2(IntegrationEventV2Request(type="t", profile_id="c"))

    assert (caught.value.field, caught.value.code) == ("silent", "Invalid type")


async def test_401_is_unauthorized(fake: FakeTalon) -> None:
    client, http = make_client(fake, api_key="wrong-key")

    with pytest.raises(VendorUnauthorizedError) as caught:
        await client.get_customer_session("S-1")

    assert caught.value.status == 401
    assert len(fake.requests) == 1
    await http.client.aclose()


async def test_404_is_not_found(talon: TalonClient, fake: FakeTalon) -> None:
    fake.queue(httpx.Response(404, json=p.NOT_FOUND))

    with pytest.raises(VendorNotFoundError) as caught:
        await talon.delete_customer_data("nobody")

    assert (caught.value.status, caught.value.code) == (404, "NotFound")


@pytest.mark.parametrize(
    "call",
    [
        lambda t: t.update_customer_session_v2("S-1", OPEN),
        lambda t: t.update_customer_profile_v2("c-1", CustomerProfileIntegrationRequestV2()),
        lambda t: t.track_event_v2(IntegrationEventV2Request(type="t", profile_id="c-1")),
    ],
)
async def test_409_on_session_profile_and_event_calls_is_an_overlap_conflict_not_retried(
    talon: TalonClient, fake: FakeTalon, call: Call
) -> None:
    fake.queue(httpx.Response(409, json={"message": "Too many requests"}))

    with pytest.raises(VendorConflictError) as caught:
        await call(talon)

    assert (caught.value.status, caught.value.code) == (409, OVERLAP_CONFLICT_CODE)
    assert len(fake.requests) == 1


async def test_409_on_create_audience_is_a_duplicate_conflict(
    talon: TalonClient, fake: FakeTalon
) -> None:
    body = {
        "message": "Audience already exists",
        "errors": [{"title": "Conflict", "source": {"pointer": "/integrationId"}}],
        "StatusCode": 409,
    }
    fake.queue(httpx.Response(409, json=body))

    with pytest.raises(VendorConflictError) as caught:
        await talon.create_audience_v2(NewAudience(name="x", integration_id="y"))

    assert caught.value.code == "Conflict"
    assert caught.value.code != OVERLAP_CONFLICT_CODE
    assert caught.value.endpoint == "POST /v2/audiences"


async def test_5xx_html_is_unavailable_and_never_quotes_the_body(
    talon: TalonClient, fake: FakeTalon
) -> None:
    fake.queue(_html(503), _html(503))

    with pytest.raises(VendorUnavailableError) as caught:
        await talon.get_customer_session("S-1")

    assert caught.value.status == 503
    assert "SECRET-BODY" not in str(caught.value)
    assert "SECRET-BODY" not in repr(caught.value)
    assert "upstream" not in caught.value.message


async def test_429_with_retry_after_is_rate_limited_when_not_retried(
    talon: TalonClient, fake: FakeTalon
) -> None:
    fake.queue(httpx.Response(429, json={"message": "slow down"}, headers={"Retry-After": "2"}))

    with pytest.raises(VendorRateLimitedError) as caught:
        await talon.create_referral(NewReferral(campaign_id=1, advocate_profile_integration_id="c"))

    assert (caught.value.status, caught.value.retry_after) == (429, 2.0)
    assert len(fake.requests) == 1


async def test_a_retried_get_waits_for_retry_after_then_succeeds(
    talon: TalonClient, fake: FakeTalon, sleeps: Sleeps
) -> None:
    fake.queue(httpx.Response(429, json={"message": "slow down"}, headers={"Retry-After": "1"}))

    session = await talon.get_customer_session("S-1")

    assert session.customer_session is not None
    assert len(fake.requests) == 2
    assert len(sleeps.waits) == 1
    assert sleeps.waits[0] >= 1.0


async def test_transport_error_is_unavailable(talon: TalonClient, fake: FakeTalon) -> None:
    fake.queue(httpx.ConnectError("refused"), httpx.ConnectError("refused"))

    with pytest.raises(VendorUnavailableError) as caught:
        await talon.get_customer_session("S-1")

    assert caught.value.status is None
    assert len(fake.requests) == 2


async def test_timeout_is_a_timeout_error(talon: TalonClient, fake: FakeTalon) -> None:
    fake.queue(httpx.ReadTimeout("slow"), httpx.ReadTimeout("slow"))

    with pytest.raises(VendorTimeoutError):
        await talon.delete_customer_data("c-1")

    assert len(fake.requests) == 2


# -- retries ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        lambda t: t.get_customer_session("S-1"),
        lambda t: t.get_customer_inventory("c-1", profile=True),
        lambda t: t.get_reserved_customers("XMAS"),
        lambda t: t.update_customer_session_v2("S-1", OPEN),
        lambda t: t.update_customer_profile_v2("c-1", CustomerProfileIntegrationRequestV2()),
        lambda t: t.delete_customer_data("c-1"),
        lambda t: t.delete_coupon_reservation("X", CouponReservations(integration_ids=[])),
        lambda t: t.delete_audience_v2(6),
        lambda t: t.update_audience_customers_attributes(6, {}),
    ],
)
async def test_an_idempotent_call_after_one_5xx_makes_exactly_two_calls(
    talon: TalonClient, fake: FakeTalon, call: Call
) -> None:
    fake.queue(_html(502))

    await call(talon)

    assert len(fake.requests) == 2
    assert fake.requests[0].url == fake.requests[1].url
    assert fake.requests[0].content == fake.requests[1].content


@pytest.mark.parametrize(
    "call",
    [
        lambda t: t.track_event_v2(IntegrationEventV2Request(type="t", profile_id="c")),
        lambda t: t.create_coupon_reservation("X", CouponReservations(integration_ids=["c"])),
        lambda t: t.create_audience_v2(NewAudience(name="n")),
        lambda t: t.update_customer_profile_audiences(CustomerProfileAudienceRequest(data=[])),
    ],
)
async def test_a_post_after_one_5xx_makes_exactly_one_call(
    talon: TalonClient, fake: FakeTalon, call: Call
) -> None:
    fake.queue(_html(502))

    with pytest.raises(VendorUnavailableError):
        await call(talon)

    assert len(fake.requests) == 1


# -- client-side limits -------------------------------------------------------------------


def _many(n: int) -> list[str]:
    return [f"c-{i}" for i in range(n)]


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (
            lambda t: t.update_customer_profile_audiences(
                CustomerProfileAudienceRequest(
                    data=[
                        CustomerProfileAudienceRequestItem(
                            action="add", profile_integration_id=i, audience_id=1
                        )
                        for i in _many(1001)
                    ]
                )
            ),
            "data",
        ),
        (
            lambda t: t.create_referrals_for_multiple_advocates(
                NewReferralsForMultipleAdvocates(
                    campaign_id=1, advocate_profile_integration_ids=[], usage_limit=1
                )
            ),
            "advocateProfileIntegrationIds",
        ),
        (
            lambda t: t.create_referrals_for_multiple_advocates(
                NewReferralsForMultipleAdvocates(
                    campaign_id=1, advocate_profile_integration_ids=_many(1001), usage_limit=1
                )
            ),
            "advocateProfileIntegrationIds",
        ),
        (
            lambda t: t.create_coupon_reservation(
                "X", CouponReservations(integration_ids=_many(1001))
            ),
            "integrationIDs",
        ),
        (
            lambda t: t.delete_coupon_reservation(
                "X", CouponReservations(integration_ids=_many(1001))
            ),
            "integrationIDs",
        ),
        (
            lambda t: t.update_customer_session_v2(
                "S",
                IntegrationRequest(
                    customer_session=NewCustomerSessionV2(
                        cart_items=[CartItem(name="n", sku="s", quantity=1, price=1)] * 1001
                    )
                ),
            ),
            "customerSession.cartItems",
        ),
        (
            lambda t: t.update_customer_session_v2(
                "S",
                IntegrationRequest(
                    customer_session=NewCustomerSessionV2(coupon_codes=["OK", "X" * 101])
                ),
            ),
            "customerSession.couponCodes.1",
        ),
        (
            lambda t: t.update_customer_session_v2(
                "S",
                IntegrationRequest(customer_session=NewCustomerSessionV2(referral_code="R" * 101)),
            ),
            "customerSession.referralCode",
        ),
        (
            lambda t: t.update_customer_profile_v2(
                "c", CustomerProfileIntegrationRequestV2(), dry=True
            ),
            "dry",
        ),
    ],
)
async def test_client_side_limits_fail_with_the_field_and_make_no_call(
    talon: TalonClient, fake: FakeTalon, call: Call, field: str
) -> None:
    with pytest.raises(VendorInvalidInputError) as caught:
        await call(talon)

    assert caught.value.field == field
    assert caught.value.status is None
    assert fake.requests == []


async def test_limits_accept_the_boundary(talon: TalonClient, fake: FakeTalon) -> None:
    await talon.create_coupon_reservation("X", CouponReservations(integration_ids=_many(1000)))
    await talon.update_customer_session_v2(
        "S",
        IntegrationRequest(
            customer_session=NewCustomerSessionV2(coupon_codes=["X" * 100], cart_items=[])
        ),
    )

    assert len(fake.requests) == 2


# -- credentials --------------------------------------------------------------------------


async def test_the_api_key_never_shows_in_errors_or_reprs(
    talon: TalonClient, fake: FakeTalon
) -> None:
    config = TalonConfig(base_url="https://acme.talon.test/", api_key=SecretStr(API_KEY))
    fake.queue(httpx.Response(400, json={"message": "bad request"}))

    with pytest.raises(VendorInvalidInputError) as caught:
        await talon.update_customer_session_v2("S-1", OPEN)

    shown = [
        str(caught.value),
        repr(caught.value),
        repr(config),
        str(config),
        repr(talon),
        repr(TalonAuth(config.api_key)),
    ]
    assert all(API_KEY not in text for text in shown)
    assert config.base_url == "https://acme.talon.test"


def test_config_refuses_a_non_http_base_url() -> None:
    with pytest.raises(ValueError, match="http"):
        TalonConfig(base_url="acme.talon.one", api_key=SecretStr("k"))


async def test_retry_policy_is_honoured(fake: FakeTalon) -> None:
    client, http = make_client(fake, sleep=Sleeps(), retry=RetryPolicy(attempts=3))
    fake.queue(_html(503), _html(503), _html(503))

    with pytest.raises(VendorUnavailableError):
        await client.get_customer_session("S-1")

    assert len(fake.requests) == 3
    await http.client.aclose()

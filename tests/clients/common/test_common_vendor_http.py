"""The shared vendor HTTP edge: error mapping, retries, Retry-After, no leaks."""

from __future__ import annotations

import random
from collections.abc import Callable

import httpx
import pytest

from vendors.errors import (
    VendorConflictError,
    VendorInvalidInputError,
    VendorNotFoundError,
    VendorRateLimitedError,
    VendorTimeoutError,
    VendorUnauthorizedError,
    VendorUnavailableError,
)
from vendors.http import (
    RetryPolicy,
    VendorHttp,
    VendorRejection,
    build_async_client,
    parse_retry_after,
)

SECRET = "s3cr3t-key"


def parse_demo_error(response: httpx.Response) -> VendorRejection:
    body = response.json()
    return VendorRejection(message=body["message"], code=body.get("code"), field=body.get("field"))


class Recorder:
    """A fake vendor: answers from a script of handlers and records each request."""

    def __init__(self, *script: Callable[[httpx.Request], httpx.Response]) -> None:
        self.script = list(script)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        handler = self.script[min(len(self.requests), len(self.script)) - 1]
        return handler(request)


def status(
    code: int, body: dict[str, str] | None = None, **headers: str
) -> Callable[..., httpx.Response]:
    return lambda _req: httpx.Response(code, json=body or {"message": "x"}, headers=headers)


def vendor_http(recorder: Recorder, sleeps: list[float] | None = None, **kw: object) -> VendorHttp:
    async def fake_sleep(seconds: float) -> None:
        (sleeps if sleeps is not None else []).append(seconds)

    client = build_async_client(transport=httpx.MockTransport(recorder))
    return VendorHttp(
        "demo", client, parse_demo_error, sleep=fake_sleep, rng=random.Random(1), **kw
    )


def get() -> httpx.Request:
    return httpx.Request("GET", "http://demo.test/things/1", headers={"x-api-key": SECRET})


@pytest.mark.parametrize(
    ("code", "error"),
    [
        (400, VendorInvalidInputError),
        (401, VendorUnauthorizedError),
        (403, VendorUnauthorizedError),
        (404, VendorNotFoundError),
        (409, VendorConflictError),
        (500, VendorUnavailableError),
        (503, VendorUnavailableError),
    ],
)
async def test_statuses_map_onto_the_error_tree(code: int, error: type[Exception]) -> None:
    http = vendor_http(Recorder(status(code, {"message": "nope", "field": "email"})))

    with pytest.raises(error) as raised:
        await http.send(get(), endpoint="getThing", idempotent=False)

    assert raised.value.vendor == "demo"
    assert raised.value.endpoint == "getThing"
    assert raised.value.status == code


async def test_invalid_input_names_the_field() -> None:
    http = vendor_http(Recorder(status(400, {"message": "bad email", "field": "email"})))
    with pytest.raises(VendorInvalidInputError) as raised:
        await http.send(get(), endpoint="getThing", idempotent=False)
    assert raised.value.field == "email"


async def test_an_idempotent_call_is_retried_after_a_5xx() -> None:
    recorder = Recorder(status(503), lambda _r: httpx.Response(200, json={"ok": True}))
    sleeps: list[float] = []

    response = await vendor_http(recorder, sleeps).send(get(), endpoint="getThing", idempotent=True)

    assert response.json() == {"ok": True}
    assert len(recorder.requests) == 2
    assert len(sleeps) == 1


async def test_a_non_idempotent_call_is_never_retried() -> None:
    recorder = Recorder(status(503))
    with pytest.raises(VendorUnavailableError):
        await vendor_http(recorder).send(get(), endpoint="createThing", idempotent=False)
    assert len(recorder.requests) == 1


async def test_retries_stop_after_the_policy_attempts() -> None:
    recorder = Recorder(status(502))
    http = vendor_http(recorder, retry=RetryPolicy(attempts=4))
    with pytest.raises(VendorUnavailableError):
        await http.send(get(), endpoint="getThing", idempotent=True)
    assert len(recorder.requests) == 4


async def test_retry_after_is_honoured() -> None:
    recorder = Recorder(status(429, {"message": "slow down"}, **{"Retry-After": "2"}), status(200))
    sleeps: list[float] = []
    await vendor_http(recorder, sleeps).send(get(), endpoint="getThing", idempotent=True)
    assert sleeps == [2.0]


async def test_a_long_retry_after_goes_back_to_the_caller() -> None:
    recorder = Recorder(status(429, {"message": "later"}, **{"Retry-After": "120"}))
    with pytest.raises(VendorRateLimitedError) as raised:
        await vendor_http(recorder).send(get(), endpoint="getThing", idempotent=True)
    assert raised.value.retry_after == 120.0
    assert len(recorder.requests) == 1


async def test_timeouts_and_refused_connections_are_typed() -> None:
    def timeout(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    def refused(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError(f"refused {request.url}", request=request)

    with pytest.raises(VendorTimeoutError):
        await vendor_http(Recorder(timeout)).send(get(), endpoint="getThing", idempotent=False)
    with pytest.raises(VendorUnavailableError):
        await vendor_http(Recorder(refused)).send(get(), endpoint="getThing", idempotent=False)


async def test_errors_never_carry_credentials_or_the_raw_body() -> None:
    leaky = {"message": f"key {SECRET} rejected", "detail": "stack trace at /srv/app.py"}
    recorder = Recorder(lambda _r: httpx.Response(500, json=leaky))
    with pytest.raises(VendorUnavailableError) as raised:
        await vendor_http(recorder).send(get(), endpoint="getThing", idempotent=False)
    text = f"{raised.value} {raised.value!r} {raised.value.message}"
    assert SECRET not in text
    assert "/srv/app.py" not in text


async def test_an_error_body_on_a_2xx_is_an_error_when_the_vendor_says_so() -> None:
    recorder = Recorder(lambda _r: httpx.Response(200, json={"status": "error", "message": "no"}))
    http = vendor_http(recorder, is_error_body=lambda r: r.json().get("status") == "error")
    with pytest.raises(VendorInvalidInputError):
        await http.send(get(), endpoint="getThing", idempotent=False)


async def test_an_unparseable_error_body_still_maps_by_status() -> None:
    recorder = Recorder(lambda _r: httpx.Response(404, text="<html>not found</html>"))
    with pytest.raises(VendorNotFoundError) as raised:
        await vendor_http(recorder).send(get(), endpoint="getThing", idempotent=False)
    assert "html" not in raised.value.message


def test_retry_after_accepts_seconds_and_http_dates() -> None:
    assert parse_retry_after("3") == 3.0
    assert parse_retry_after("Thu, 01 Jan 2026 00:00:10 GMT", now=1767225600.0) == 10.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after(None) is None


def test_a_retry_after_in_other_scripts_digits_is_no_number() -> None:
    """``"¹".isdigit()`` is true but ``float("¹")`` raises: a vendor's odd header must not
    turn a 429 into a crash."""
    assert parse_retry_after("¹") is None
    assert parse_retry_after("٣") is None

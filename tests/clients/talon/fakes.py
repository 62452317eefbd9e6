"""A fake Talon.One for unit tests: one handler that routes on method + path (MockTransport).

It answers every in-scope endpoint with its documented response, refuses a wrong API key
with 401 like the real service, and records each request so tests can pin what was sent.
Tests can queue responses (or transport errors) to be answered first.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import httpx
from pydantic import SecretStr

from tests.clients.talon import payloads as p
from vendors.http import RetryPolicy, VendorHttp, build_async_client
from vendors.talon import TalonClient, TalonConfig, talon_http

BASE_URL = "https://acme.talon.test"
API_KEY = "dbc644d33aa7-not-a-real-key-6b1f"

Answer = Callable[[httpx.Request], httpx.Response]


def _json(status: int, body: Any) -> httpx.Response:
    return httpx.Response(status, json=body)


def _silent(ok_status: int, body: Callable[[], Any]) -> Answer:
    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.params.get("silent", "yes") == "yes":
            return httpx.Response(204)
        return _json(ok_status, body())

    return answer


def _fixed(status: int, body: Callable[[], Any] | None = None) -> Answer:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status) if body is None else _json(status, body())

    return answer


_SEG = r"[^/]+"
#: (method, raw-path pattern) → the documented answer
ROUTES: list[tuple[str, re.Pattern[str], Answer]] = [
    (m, re.compile(f"^{path}$"), answer)
    for m, path, answer in [
        ("PUT", f"/v2/customer_profiles/{_SEG}", _fixed(200, p.integration_state_v2)),
        (
            "PUT",
            "/v2/customer_profiles",
            _silent(200, lambda: {"integrationStates": [p.minimal_state_v2()]}),
        ),
        ("DELETE", f"/v1/customer_data/{_SEG}", _fixed(204)),
        ("GET", f"/v1/customer_profiles/{_SEG}/inventory", _fixed(200, p.inventory)),
        ("PUT", f"/v2/customer_sessions/{_SEG}", _fixed(200, p.integration_state_v2)),
        (
            "GET",
            f"/v2/customer_sessions/{_SEG}",
            _fixed(
                200,
                lambda: {
                    "customerSession": p.customer_session_v2(),
                    "effects": [p.effect("setDiscount")],
                },
            ),
        ),
        ("POST", f"/v2/customer_sessions/{_SEG}/returns", _fixed(200, p.integration_state_v2)),
        ("POST", "/v2/events", _silent(200, p.integration_state_v2)),
        ("POST", f"/v1/coupon_reservations/{_SEG}", _fixed(201, p.coupon)),
        ("DELETE", f"/v1/coupon_reservations/{_SEG}", _fixed(204)),
        (
            "GET",
            f"/v1/coupon_reservations/customerprofiles/{_SEG}",
            _fixed(200, lambda: {"totalResultSize": 1, "data": [p.customer_profile()]}),
        ),
        ("POST", "/v1/referrals", _fixed(201, p.referral)),
        (
            "POST",
            "/v1/referrals_for_multiple_advocates",
            _silent(
                201,
                lambda: {
                    "totalResultSize": 2,
                    "data": [p.referral("REF-AAA-111"), p.referral("REF-BBB-222", id=7)],
                },
            ),
        ),
        ("POST", "/v2/audiences", _fixed(201, p.audience)),
        ("PUT", r"/v2/audiences/\d+", _fixed(200, p.audience)),
        ("DELETE", r"/v2/audiences/\d+", _fixed(204)),
        ("DELETE", r"/v2/audiences/\d+/memberships", _fixed(204)),
        ("PUT", r"/v2/audience_customers/\d+/attributes", _fixed(204)),
        ("POST", "/v2/customer_audiences", _fixed(204)),
    ]
]


class FakeTalon:
    """The handler behind ``httpx.MockTransport``; ``queue`` answers before the routes."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self.queued: list[httpx.Response | Exception] = []

    def queue(self, *answers: httpx.Response | Exception) -> None:
        self.queued.extend(answers)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if self.queued:
            answer = self.queued.pop(0)
            if isinstance(answer, Exception):
                raise answer
            return answer
        if request.headers.get("authorization") != f"ApiKey-v1 {API_KEY}":
            return _json(401, p.UNAUTHORIZED)
        path = request.url.raw_path.decode().split("?", 1)[0]
        for method, pattern, answer_for in ROUTES:
            if method == request.method and pattern.match(path):
                return answer_for(request)
        return _json(404, p.NOT_FOUND)

    @property
    def last(self) -> httpx.Request:
        return self.requests[-1]

    def last_json(self) -> Any:
        return json.loads(self.last.content)


class Sleeps:
    """A fake ``sleep`` that records the waits instead of waiting."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


def make_client(
    fake: FakeTalon,
    *,
    sleep: Sleeps | None = None,
    retry: RetryPolicy | None = None,
    api_key: str = API_KEY,
) -> tuple[TalonClient, VendorHttp]:
    http = talon_http(
        build_async_client(transport=httpx.MockTransport(fake)),
        retry or RetryPolicy(attempts=2, backoff_base=0.01),
    )
    if sleep is not None:
        http.sleep = sleep
    return TalonClient(http, TalonConfig(base_url=BASE_URL, api_key=SecretStr(api_key))), http

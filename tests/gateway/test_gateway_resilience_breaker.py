"""The per-vendor circuit breaker: when it opens, fails fast, probes and closes."""

from __future__ import annotations

import logging

import pytest

from gateway.errors import vendor_error_extensions
from vendors.errors import (
    VendorConflictError,
    VendorError,
    VendorInvalidInputError,
    VendorNotFoundError,
    VendorRateLimitedError,
    VendorTimeoutError,
    VendorUnauthorizedError,
    VendorUnavailableError,
)
from vendors.resilience import (
    BreakerConfig,
    BreakerState,
    CircuitBreaker,
    CircuitOpenError,
    counts_as_failure,
)

CLOSED, OPEN, HALF_OPEN = BreakerState.CLOSED, BreakerState.OPEN, BreakerState.HALF_OPEN


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def breaker(clock: Clock, **config: object) -> CircuitBreaker:
    defaults: dict[str, object] = {"failure_threshold": 3, "min_calls": 100, "cooldown": 10}
    return CircuitBreaker("talon", BreakerConfig.model_validate(defaults | config), clock=clock)


def fail(b: CircuitBreaker, times: int = 1) -> None:
    for _ in range(times):
        b.admit("GET /x").failed()


def succeed(b: CircuitBreaker, times: int = 1) -> None:
    for _ in range(times):
        b.admit("GET /x").succeeded()


def test_it_opens_after_n_failures_in_a_row() -> None:
    b = breaker(Clock())

    fail(b, 2)
    assert b.state is CLOSED
    fail(b)

    assert b.state is OPEN


def test_a_success_resets_the_run_of_failures() -> None:
    b = breaker(Clock())

    fail(b, 2)
    succeed(b)
    fail(b, 2)

    assert b.state is CLOSED


def test_it_opens_on_the_failure_ratio_over_the_window() -> None:
    b = breaker(Clock(), failure_threshold=100, min_calls=10, failure_ratio=0.5)

    for _ in range(4):
        succeed(b)
        fail(b)
    assert b.state is CLOSED  # 8 calls: below min_calls
    succeed(b)
    fail(b)

    assert b.state is OPEN  # 5 of 10 failed


def test_failures_older_than_the_window_do_not_count() -> None:
    clock = Clock()
    b = breaker(clock, failure_threshold=100, min_calls=4, failure_ratio=0.5, window=10)

    fail(b, 3)
    clock.now += 11
    succeed(b, 4)

    assert b.state is CLOSED


def test_open_fails_fast_with_the_time_left() -> None:
    clock = Clock()
    b = breaker(clock)
    fail(b, 3)
    clock.now += 4

    with pytest.raises(CircuitOpenError) as refused:
        b.admit("GET /v1/thing")

    assert isinstance(refused.value, VendorUnavailableError)
    assert refused.value.vendor == "talon"
    assert refused.value.endpoint == "GET /v1/thing"
    assert refused.value.retry_after == pytest.approx(6)


def test_after_the_cooldown_a_limited_number_of_probes_go_through() -> None:
    clock = Clock()
    b = breaker(clock, half_open_probes=2)
    fail(b, 3)
    clock.now += 10

    assert b.state is HALF_OPEN
    first, second = b.admit("GET /x"), b.admit("GET /x")
    with pytest.raises(CircuitOpenError):
        b.admit("GET /x")
    first.succeeded()
    assert b.state is HALF_OPEN
    second.succeeded()

    assert b.state is CLOSED


def test_a_failed_probe_opens_the_circuit_again_for_a_full_cooldown() -> None:
    clock = Clock()
    b = breaker(clock)
    fail(b, 3)
    clock.now += 10

    b.admit("GET /x").failed()

    assert b.state is OPEN
    assert b.retry_after() == pytest.approx(10)


def test_an_abandoned_probe_frees_its_slot() -> None:
    clock = Clock()
    b = breaker(clock)
    fail(b, 3)
    clock.now += 10

    b.admit("GET /x").abandoned()
    probe = b.admit("GET /x")  # not refused: the slot came back

    probe.succeeded()
    assert b.state is CLOSED


def test_calls_admitted_before_a_transition_do_not_change_the_new_state() -> None:
    clock = Clock()
    b = breaker(clock)
    slow = b.admit("GET /x")  # admitted while closed
    fail(b, 3)
    clock.now += 10
    probe = b.admit("GET /x")

    slow.succeeded()  # says nothing about the vendor now
    assert b.state is HALF_OPEN
    probe.failed()
    assert b.state is OPEN


def test_a_closed_circuit_forgets_the_failures_before_it_opened() -> None:
    clock = Clock()
    b = breaker(clock)
    fail(b, 2)
    fail(b)
    clock.now += 10
    succeed(b)  # the probe closes it

    fail(b, 2)

    assert b.state is CLOSED


def test_listeners_hear_every_transition() -> None:
    clock = Clock()
    b = breaker(clock)
    heard: list[tuple[str, BreakerState, BreakerState]] = []
    b.on_state_change(lambda vendor, old, new: heard.append((vendor, old, new)))

    fail(b, 3)
    clock.now += 10
    succeed(b)

    assert heard == [
        ("talon", CLOSED, OPEN),
        ("talon", OPEN, HALF_OPEN),
        ("talon", HALF_OPEN, CLOSED),
    ]


def test_a_failing_listener_is_logged_and_never_breaks_a_call(
    caplog: pytest.LogCaptureFixture,
) -> None:
    b = breaker(Clock())

    def broken(vendor: str, old: BreakerState, new: BreakerState) -> None:
        raise RuntimeError("metrics down")

    b.on_state_change(broken)
    with caplog.at_level(logging.ERROR, logger="vendors.resilience"):
        fail(b, 3)

    assert b.state is OPEN
    assert "listener failed" in caplog.text


def test_a_disabled_breaker_never_refuses() -> None:
    b = breaker(Clock(), enabled=False)
    fail(b, 10)
    b.admit("GET /x").succeeded()


def test_an_outcome_is_reported_once() -> None:
    b = breaker(Clock())
    admission = b.admit("GET /x")
    admission.failed()
    admission.failed()
    admission.failed()
    assert b.state is CLOSED


@pytest.mark.parametrize(
    ("error", "counts"),
    [
        (VendorUnavailableError("v", "e", 503), True),
        (VendorUnavailableError("v", "e", None, "unreachable"), True),
        (VendorTimeoutError("v", "e"), True),
        (VendorRateLimitedError("v", "e"), True),
        (VendorInvalidInputError("v", "e"), False),
        (VendorNotFoundError("v", "e", 404), False),
        (VendorConflictError("v", "e", 409), False),
        (VendorUnauthorizedError("v", "e", 401), False),
        (CircuitOpenError("v", "e"), False),
    ],
)
def test_only_transport_failures_timeouts_5xx_and_429_count(
    error: VendorError, counts: bool
) -> None:
    assert counts_as_failure(error) is counts


def test_clients_see_an_open_circuit_as_upstream_unavailable_with_a_marker() -> None:
    message, extensions = vendor_error_extensions(
        CircuitOpenError("talon", "GET /x", retry_after=4.26)
    )

    assert message == "Talon.One is unavailable."
    assert extensions == {
        "code": "UPSTREAM_UNAVAILABLE",
        "vendor": "talon",
        "retryable": True,
        "circuit": "open",
        "retryAfter": 5,
    }

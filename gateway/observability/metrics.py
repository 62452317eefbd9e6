"""The gateway's Prometheus metrics, in a registry of their own per app (so two apps in one
process, as in the tests, never share or clash). With several workers they are kept in
prometheus-client's multiprocess files and ``/metrics`` renders all workers' sum
(:mod:`.multiprocess`); state kept elsewhere is copied in (:mod:`.state_metrics`).

Every label has a bounded set of values: operation names are capped (:class:`OperationNames`),
endpoints are the vendor clients' route templates (never a URL with ids), statuses are HTTP
codes or a few words, reasons are error codes. Nothing here ever holds a credential.

::

    cg_graphql_operation_duration_seconds{operation,operation_type}   histogram
    cg_graphql_errors_total{code}                                     errors in responses
    cg_graphql_rejected_operations_total{reason}                      refused before execution
    cg_http_requests_total{route,method,status}                       every HTTP request
    cg_upstream_requests_total{vendor,endpoint,status}                every attempt to a vendor
    cg_upstream_request_duration_seconds{vendor,endpoint}             histogram
    cg_cache_hits_total / cg_cache_misses_total / cg_cache_stale_served_total, cg_cache_entries
    cg_circuit_breaker_state{vendor,state}                            1 for the current state
    cg_circuit_breaker_transitions_total{vendor,from_state,to_state}
    process_*                                                         (summed over workers)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from functools import partial

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Histogram,
    ProcessCollector,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.multiprocess import MultiProcessCollector

from cache import ReadThroughCache
from cache.shared.redis_link import RedisLink
from gateway.observability.multiprocess import multiprocess_dir
from gateway.observability.state_metrics import Reading, StateMetrics
from gateway.response_cache import ResponseCache
from vendors.resilience import BreakerState, CircuitBreaker

__all__ = ["GatewayMetrics", "OperationNames", "label_code"]

# a ``_created`` series beside each counter and histogram doubles the series for nothing a
# rate() needs (and multiprocess mode has none): off in every registry
disable_created_metrics()  # type: ignore[no-untyped-call]

#: seconds; GraphQL operations and vendor calls share the scale (a few ms to the timeouts)
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)

_GRAPHQL_NAME = re.compile(r"[_A-Za-z][_0-9A-Za-z]{0,99}")
_CODE = re.compile(r"[A-Z][A-Z0-9_]{0,63}")
_METHODS = frozenset({"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"})


def label_code(code: object, default: str = "OTHER") -> str:
    """An error code as a label: our codes are UPPER_SNAKE; anything else is ``default``."""
    return code if isinstance(code, str) and _CODE.fullmatch(code) else default


class OperationNames:
    """Operation names as labels. Clients choose them, so at most ``limit`` distinct names
    are kept (first come); later ones count as ``other``. No name is ``anonymous``; a name
    that is not a GraphQL name (an unparsable request's ``operationName``) is ``invalid``."""

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._seen: set[str] = set()

    def label(self, name: str | None) -> str:
        if not name:
            return "anonymous"
        if not _GRAPHQL_NAME.fullmatch(name):
            return "invalid"
        if name in self._seen:
            return name
        if len(self._seen) >= self._limit:
            return "other"
        self._seen.add(name)
        return name


class GatewayMetrics:
    """The metrics of one app; :attr:`registry` is what ``/metrics`` renders."""

    def __init__(self, *, max_operation_names: int = 500) -> None:
        self.registry = CollectorRegistry()
        self.operation_names = OperationNames(max_operation_names)
        r = self.registry
        #: where the workers' files are when this process is one of several (None: alone)
        self.multiprocess_dir = multiprocess_dir()
        self.state = StateMetrics(r)
        if self.multiprocess_dir is None:
            ProcessCollector(registry=r)
        else:
            self.state.include_process()
        # every metric of this app is kept in its registry; both histograms share a scale
        counter = partial(Counter, registry=r)
        histogram = partial(Histogram, buckets=BUCKETS, registry=r)
        self.operation_duration = histogram(
            "cg_graphql_operation_duration_seconds",
            "GraphQL operations from receipt to result, by operation name and type.",
            ["operation", "operation_type"],
        )
        self.graphql_errors = counter(
            "cg_graphql_errors", "Errors in GraphQL responses, by extensions.code.", ["code"]
        )
        self.rejections = counter(
            "cg_graphql_rejected_operations",
            "Operations refused before execution (limits, authentication, the HTTP layer).",
            ["reason"],
        )
        self.http_requests = counter(
            "cg_http_requests",
            "HTTP requests the gateway answered, by route, method and status.",
            ["route", "method", "status"],
        )
        self.upstream_requests = counter(
            "cg_upstream_requests",
            "Requests (each attempt) to the vendors, by route template and status.",
            ["vendor", "endpoint", "status"],
        )
        self.upstream_duration = histogram(
            "cg_upstream_request_duration_seconds",
            "Vendor request latency (each attempt), by route template.",
            ["vendor", "endpoint"],
        )
        self.persisted_operations = counter(
            "cg_persisted_operations",
            "Requests naming a persisted operation, by outcome: hit (run from the store or"
            " the manifest), registered (APQ text stored after it ran), miss (APQ hash not"
            " known: the client sends the text next), refused.",
            ["outcome"],
        )
        self.breaker_transitions = counter(
            "cg_circuit_breaker_transitions",
            "Circuit breaker state changes per vendor.",
            ["vendor", "from_state", "to_state"],
        )

    # --- recording -------------------------------------------------------------------------

    def observe_operation(self, name: str | None, operation_type: str, seconds: float) -> str:
        """Record one operation; returns the label its name was counted under."""
        label = self.operation_names.label(name)
        self.operation_duration.labels(label, operation_type).observe(seconds)
        return label

    def count_errors(self, codes: Iterable[object]) -> None:
        for code in codes:
            self.graphql_errors.labels(label_code(code, "UNCODED")).inc()

    def reject(self, reason: object) -> None:
        self.rejections.labels(label_code(reason)).inc()

    def persisted(self, outcome: str) -> None:
        self.persisted_operations.labels(outcome).inc()

    def observe_http(self, route: str, method: str, status: int) -> None:
        method = method if method in _METHODS else "OTHER"
        self.http_requests.labels(route, method, str(status)).inc()

    def observe_upstream(self, vendor: str, endpoint: str, status: str, seconds: float) -> None:
        self.upstream_requests.labels(vendor, endpoint, status).inc()
        self.upstream_duration.labels(vendor, endpoint).observe(seconds)

    def breaker_changed(self, vendor: str, old: BreakerState, new: BreakerState) -> None:
        """A :data:`vendors.resilience.StateListener`."""
        self.breaker_transitions.labels(vendor, old.value, new.value).inc()

    # --- state kept elsewhere, copied in (see .state_metrics) -------------------------------

    def after_request(self) -> None:
        """Called as each HTTP request ends: with several workers, what this one's state
        became must be in its files before another worker answers a scrape."""
        if self.multiprocess_dir is not None:
            self.state.copy()

    def render(self) -> bytes:
        """The exposition ``/metrics`` serves: this app's registry, or with several workers
        (multiprocess mode) what all of them wrote."""
        if self.multiprocess_dir is None:
            return generate_latest(self.registry)
        self.state.copy(everything=True)
        combined = CollectorRegistry()
        MultiProcessCollector(combined, path=str(self.multiprocess_dir))  # type: ignore[no-untyped-call]
        return generate_latest(combined)

    def watch_cache(self, cache: ReadThroughCache) -> None:
        state = self.state
        state.counter("cg_cache_hits", "Vendor reads answered by the cross-request cache.")
        state.counter("cg_cache_misses", "Vendor reads the cache had to load.")
        state.counter(
            "cg_cache_stale_served",
            "Expired entries served because the vendor failed (stale-if-error).",
        )
        state.gauge("cg_cache_entries", "Entries in the cross-request cache.")
        if cache.responses is not None:
            state.counter(
                "cg_response_cache_hits", "Queries answered whole from the response cache."
            )
            state.counter(
                "cg_response_cache_misses", "Queries the response cache could not answer."
            )
            state.gauge("cg_response_cache_entries", "Answers kept.")
        state.source(lambda: _cache_readings(cache))

    def watch_shared_tier(self, link: RedisLink, cache: ReadThroughCache) -> None:
        state = self.state
        state.gauge(
            "cg_redis_up",
            "1 while the shared tier (Redis) answers, 0 while degraded (any worker).",
            mode="livemin",
        )
        state.counter(
            "cg_redis_commands",
            "Redis commands by operation and outcome (ok, error, skipped while down).",
            ["operation", "outcome"],
        )
        state.counter("cg_redis_command_seconds", "Time spent in Redis commands.", ["operation"])
        state.counter("cg_redis_transitions", "Times the shared tier went down or came back.")
        state.counter(
            "cg_cache_tier_hits", "Cache hits by tier (l1: this process, l2: Redis).", ["tier"]
        )
        if cache.peers is not None:
            state.counter(
                "cg_shared_invalidations",
                "Cross-replica invalidations: published, applied from peers, replayed after"
                " an outage, L1 dropped whole (missed some), lost (pending queue full).",
                ["event"],
            )
        state.source(lambda: _shared_tier_readings(link, cache))

    def watch_breakers(self, breakers: Mapping[str, CircuitBreaker]) -> None:
        self.state.gauge(
            "cg_circuit_breaker_state",
            "1 for each vendor's current circuit state (closed, half_open, open); with"
            " several workers, how many of them are in that state.",
            ["vendor", "state"],
        )
        watched = dict(breakers)
        self.state.source(lambda: _breaker_readings(watched))


def _cache_readings(cache: ReadThroughCache) -> Iterator[Reading]:
    """The read cache's own counters (the cache stays unaware of metrics)."""
    stats = cache.stats
    yield "cg_cache_hits", (), stats.hits
    yield "cg_cache_misses", (), stats.misses
    yield "cg_cache_stale_served", (), stats.stale_served
    yield "cg_cache_entries", (), len(cache.store)
    responses = cache.responses
    if isinstance(responses, ResponseCache):  # the cache knows it only as DependentAnswers
        yield "cg_response_cache_hits", (), responses.stats.hits
        yield "cg_response_cache_misses", (), responses.stats.misses
        yield "cg_response_cache_entries", (), len(responses.store)


def _shared_tier_readings(link: RedisLink, cache: ReadThroughCache) -> Iterator[Reading]:
    """Redis's state as this process sees it, and what the shared tier did for it."""
    yield "cg_redis_up", (), 1.0 if link.up else 0.0
    for (op, outcome), count in sorted(link.outcomes.items()):
        yield "cg_redis_commands", (op, outcome), count
    for op, total in sorted(link.seconds.items()):
        yield "cg_redis_command_seconds", (op,), total
    yield "cg_redis_transitions", (), link.transitions
    yield "cg_cache_tier_hits", ("l1",), cache.stats.l1_hits
    yield "cg_cache_tier_hits", ("l2",), cache.stats.l2_hits
    peers = cache.peers
    if peers is not None:
        stats = peers.stats
        yield "cg_shared_invalidations", ("published",), stats.published
        yield "cg_shared_invalidations", ("applied",), stats.applied
        yield "cg_shared_invalidations", ("replayed",), stats.replayed
        yield "cg_shared_invalidations", ("l1_dropped",), stats.full_drops
        yield "cg_shared_invalidations", ("lost",), stats.pending_dropped


def _breaker_readings(breakers: Mapping[str, CircuitBreaker]) -> Iterator[Reading]:
    """Each vendor's breaker state as read now: an open circuit whose cooldown has passed
    reads as half-open even before a call notices."""
    for vendor, breaker in breakers.items():
        current = breaker.state
        for state in BreakerState:
            yield (
                "cg_circuit_breaker_state",
                (vendor, state.value),
                1.0 if state is current else 0.0,
            )

"""The gateway's Prometheus metrics, in a registry of their own per app (so two apps in one
process, as in the tests, never share or clash).

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
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric

from gateway.cache import ReadThroughCache
from gateway.resilience import BreakerState, CircuitBreaker
from gateway.shared_tier.redis_link import RedisLink

__all__ = ["GatewayMetrics", "OperationNames", "label_code"]

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
        self.operation_duration = Histogram(
            "cg_graphql_operation_duration_seconds",
            "GraphQL operations from receipt to result, by operation name and type.",
            ["operation", "operation_type"],
            buckets=BUCKETS,
            registry=r,
        )
        self.graphql_errors = Counter(
            "cg_graphql_errors",
            "Errors in GraphQL responses, by extensions.code.",
            ["code"],
            registry=r,
        )
        self.rejections = Counter(
            "cg_graphql_rejected_operations",
            "Operations refused before execution (limits, authentication, the HTTP layer).",
            ["reason"],
            registry=r,
        )
        self.http_requests = Counter(
            "cg_http_requests",
            "HTTP requests the gateway answered, by route, method and status.",
            ["route", "method", "status"],
            registry=r,
        )
        self.upstream_requests = Counter(
            "cg_upstream_requests",
            "Requests (each attempt) to the vendors, by route template and status.",
            ["vendor", "endpoint", "status"],
            registry=r,
        )
        self.upstream_duration = Histogram(
            "cg_upstream_request_duration_seconds",
            "Vendor request latency (each attempt), by route template.",
            ["vendor", "endpoint"],
            buckets=BUCKETS,
            registry=r,
        )
        self.breaker_transitions = Counter(
            "cg_circuit_breaker_transitions",
            "Circuit breaker state changes per vendor.",
            ["vendor", "from_state", "to_state"],
            registry=r,
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

    def observe_http(self, route: str, method: str, status: int) -> None:
        method = method if method in _METHODS else "OTHER"
        self.http_requests.labels(route, method, str(status)).inc()

    def observe_upstream(self, vendor: str, endpoint: str, status: str, seconds: float) -> None:
        self.upstream_requests.labels(vendor, endpoint, status).inc()
        self.upstream_duration.labels(vendor, endpoint).observe(seconds)

    def breaker_changed(self, vendor: str, old: BreakerState, new: BreakerState) -> None:
        """A :data:`gateway.resilience.StateListener`."""
        self.breaker_transitions.labels(vendor, old.value, new.value).inc()

    # --- read at scrape time ---------------------------------------------------------------

    def watch_cache(self, cache: ReadThroughCache) -> None:
        self.registry.register(_CacheCollector(cache))

    def watch_shared_tier(self, link: RedisLink, cache: ReadThroughCache) -> None:
        self.registry.register(_SharedTierCollector(link, cache))

    def watch_breakers(self, breakers: Mapping[str, CircuitBreaker]) -> None:
        self.registry.register(_BreakerCollector(dict(breakers)))


class _CacheCollector:
    """The read cache's own counters, read when scraped (the cache stays unaware)."""

    def __init__(self, cache: ReadThroughCache) -> None:
        self._cache = cache

    def collect(self) -> Iterable[Metric]:
        stats = self._cache.stats
        yield CounterMetricFamily(
            "cg_cache_hits", "Vendor reads answered by the cross-request cache.", stats.hits
        )
        yield CounterMetricFamily(
            "cg_cache_misses", "Vendor reads the cache had to load.", stats.misses
        )
        yield CounterMetricFamily(
            "cg_cache_stale_served",
            "Expired entries served because the vendor failed (stale-if-error).",
            stats.stale_served,
        )
        yield GaugeMetricFamily(
            "cg_cache_entries", "Entries in the cross-request cache.", len(self._cache.store)
        )
        responses = self._cache.responses
        if responses is not None:
            yield CounterMetricFamily(
                "cg_response_cache_hits",
                "Queries answered whole from the response cache.",
                responses.stats.hits,
            )
            yield CounterMetricFamily(
                "cg_response_cache_misses",
                "Queries the response cache could not answer.",
                responses.stats.misses,
            )
            yield GaugeMetricFamily(
                "cg_response_cache_entries", "Answers kept.", len(responses.store)
            )


class _SharedTierCollector:
    """Redis's state as this replica sees it, and what the shared tier did for it."""

    def __init__(self, link: RedisLink, cache: ReadThroughCache) -> None:
        self._link = link
        self._cache = cache

    def collect(self) -> Iterable[Metric]:
        link = self._link
        yield GaugeMetricFamily(
            "cg_redis_up",
            "1 while the shared tier (Redis) answers, 0 while degraded.",
            1.0 if link.up else 0.0,
        )
        commands = CounterMetricFamily(
            "cg_redis_commands",
            "Redis commands by operation and outcome (ok, error, skipped while down).",
            labels=["operation", "outcome"],
        )
        for (op, outcome), count in sorted(link.outcomes.items()):
            commands.add_metric([op, outcome], count)
        yield commands
        seconds = CounterMetricFamily(
            "cg_redis_command_seconds", "Time spent in Redis commands.", labels=["operation"]
        )
        for op, total in sorted(link.seconds.items()):
            seconds.add_metric([op], total)
        yield seconds
        yield CounterMetricFamily(
            "cg_redis_transitions",
            "Times the shared tier went down or came back.",
            link.transitions,
        )
        hits = CounterMetricFamily(
            "cg_cache_tier_hits",
            "Cache hits by tier (l1: this process, l2: Redis).",
            labels=["tier"],
        )
        hits.add_metric(["l1"], self._cache.stats.l1_hits)
        hits.add_metric(["l2"], self._cache.stats.l2_hits)
        yield hits
        peers = self._cache.peers
        if peers is not None:
            stats = peers.stats
            inv = CounterMetricFamily(
                "cg_shared_invalidations",
                "Cross-replica invalidations: published, applied from peers, replayed after"
                " an outage, L1 dropped whole (missed some), lost (pending queue full).",
                labels=["event"],
            )
            for event, count in (
                ("published", stats.published),
                ("applied", stats.applied),
                ("replayed", stats.replayed),
                ("l1_dropped", stats.full_drops),
                ("lost", stats.pending_dropped),
            ):
                inv.add_metric([event], count)
            yield inv


class _BreakerCollector:
    """Each vendor's breaker state, read when scraped: an open circuit whose cooldown has
    passed reads as half-open even before a call notices."""

    def __init__(self, breakers: dict[str, CircuitBreaker]) -> None:
        self._breakers = breakers

    def collect(self) -> Iterable[Metric]:
        family = GaugeMetricFamily(
            "cg_circuit_breaker_state",
            "1 for each vendor's current circuit state (closed, half_open, open).",
            labels=["vendor", "state"],
        )
        for vendor, breaker in self._breakers.items():
            current = breaker.state
            for state in BreakerState:
                family.add_metric([vendor, state.value], 1.0 if state is current else 0.0)
        yield family

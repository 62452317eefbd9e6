"""Where the response cache meets HTTP: after authentication and the request checks, before
Strawberry. A hit is answered from memory; a miss runs and its answer is offered to the
cache, which keeps it only if the request's context says it may (see response_cache).
Either way a persisted GET's answer leaves with its HTTP caching headers (Cache-Control,
ETag, Vary; 304 for a matching If-None-Match: gateway.persisted.get_caching), valid as
long as the answer's reads."""

from __future__ import annotations

import time

from starlette.types import Scope

from cache.read_through import ReadThroughCache
from gateway.http_compliance.responses import HttpResponse
from gateway.observability.metrics import GatewayMetrics
from gateway.persisted.get_caching import answer_validators, max_age
from gateway.request_state import RequestState
from gateway.response_cache import CachedAnswer, ResponseCache, ResponseKey

__all__ = ["ResponseCacheGate"]


class ResponseCacheGate:
    def __init__(
        self, responses: ResponseCache, cache: ReadThroughCache, metrics: GatewayMetrics
    ) -> None:
        self.responses = responses
        self.cache = cache
        self.metrics = metrics

    async def lookup(
        self, scope: Scope, body: bytes | None, media_type: str
    ) -> tuple[ResponseKey | None, HttpResponse | None, int]:
        """(key, cached answer or None, the cache generation the miss starts at)."""
        state = RequestState.of(scope)
        principal = state.principal
        if principal is None:
            return None, None, 0
        # other replicas' writes first: a read sent after a write's answer is fresh; the
        # request's context joins this catch-up instead of making its own
        arrived = state.arrived_at = time.monotonic()
        await self.cache.catch_up(arrived)
        started = time.perf_counter()
        key = ResponseCache.key(
            principal, media_type, scope["method"], scope.get("query_string", b""), body or b""
        )
        answer = self.responses.get(key)
        if answer is None:
            return key, None, self.cache.generation
        # counted like an executed operation, so dashboards see every answer
        label = self.metrics.observe_operation(
            answer.operation_name, answer.operation_type, time.perf_counter() - started
        )
        state.operations.append(label)
        seconds = max_age(answer.fresh_until, self.responses.store.timer())
        return key, answer_validators(scope, answer.response, seconds), self.cache.generation

    def offer(
        self, scope: Scope, key: ResponseKey, generation: int, answer: HttpResponse
    ) -> HttpResponse:
        """``answer`` offered to the cache; returns it as it is to be sent (with a
        persisted GET's caching headers, which the kept copy never holds)."""
        fresh_until = self._keep(scope, key, generation, answer)
        seconds = (
            None if fresh_until is None else max_age(fresh_until, self.responses.store.timer())
        )
        return answer_validators(scope, answer, seconds)

    def _keep(
        self, scope: Scope, key: ResponseKey, generation: int, answer: HttpResponse
    ) -> float | None:
        context = RequestState.of(scope).context
        if context is None or not context.answer_cacheable:
            return None
        if generation != self.cache.generation or b'"errors"' in answer.body:
            return None
        operation_type = context.operation_type or "query"
        cached = CachedAnswer(answer, context.operation_name, operation_type)
        return self.responses.put(key, cached, context.reads)

"""Whole answers to repeated queries, served without executing them again.

An answer is kept only when everything it shows came from the read cache: the request
records each read's entry (``ReadLedger``), and the answer lives as long as the shortest of
them and carries all their tags, so any write that would change one of those reads (on any
replica, through the invalidation log) drops the answer too. Never kept: mutations, answers
with errors or stale data, reads of kinds that are not cached (cart sessions), answers
computed while a write happened. Keys hold the tenant, the caller's scopes (a missing scope
changes the answer), the negotiated media type and a digest of the request itself.

Bounded by answers and by bytes (``CG_RESPONSE_CACHE_MAX_BYTES``): every distinct request
body is a new key, and an answer's size is the client's choice.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from cache.keys import Tag
from cache.read_ledger import ReadLedger
from cache.sizing import MiB
from cache.store import TTLStore

if TYPE_CHECKING:
    from gateway.auth.principal import Principal
    from gateway.http_compliance.responses import HttpResponse

__all__ = ["CachedAnswer", "ReadLedger", "ResponseCache", "ResponseKey", "answer_size"]

DEFAULT_MAX_BYTES = 64 * MiB
#: the answer's dataclasses, its key's strings and tuple, the header list
ANSWER_OVERHEAD = 1024


@dataclass(frozen=True, slots=True)
class ResponseKey:
    tenant: str
    scopes: tuple[str, ...]
    media_type: str
    #: sha256 of the method, the query string and the body
    request: str


@dataclass(frozen=True, slots=True)
class CachedAnswer:
    response: HttpResponse
    #: for the operation metrics and the access log of the requests it answers
    operation_name: str | None
    operation_type: str
    #: the timer's time when the shortest read behind the answer expires (the HTTP
    #: ``max-age`` of a persisted GET answered from here: gateway.persisted.get_caching)
    fresh_until: float = math.inf


def answer_size(value: object) -> int:
    """The body and headers of a kept answer (exact lengths, no walk)."""
    if not isinstance(value, CachedAnswer):
        raise TypeError(f"the response cache keeps CachedAnswer, not {type(value).__name__}")
    response = value.response
    headers = sum(len(name) + len(content) + 80 for name, content in response.headers)
    return ANSWER_OVERHEAD + len(response.body) + headers


@dataclass
class ResponseStats:
    hits: int = 0
    misses: int = 0
    stored: int = 0


class ResponseCache:
    def __init__(
        self, max_entries: int, max_ttl: float, max_bytes: int = DEFAULT_MAX_BYTES
    ) -> None:
        self.store: TTLStore[ResponseKey] = TTLStore(
            maxsize=max_entries, max_bytes=max_bytes, keep_stale_for=0, sizeof=answer_size
        )
        self.max_ttl = max_ttl
        self.stats = ResponseStats()

    @staticmethod
    def key(
        principal: Principal, media_type: str, method: str, query_string: bytes, body: bytes
    ) -> ResponseKey:
        digest = hashlib.sha256()
        for part in (method.encode(), query_string, body):
            digest.update(len(part).to_bytes(8, "big"))
            digest.update(part)
        scopes = tuple(sorted(str(s) for s in principal.scopes))
        return ResponseKey(principal.tenant, scopes, media_type, digest.hexdigest())

    def get(self, key: ResponseKey) -> CachedAnswer | None:
        entry = self.store.get(key)
        if entry is None:
            self.stats.misses += 1
            return None
        self.stats.hits += 1
        return entry.value  # type: ignore[return-value]  # stored by put as CachedAnswer

    def put(self, key: ResponseKey, answer: CachedAnswer, ledger: ReadLedger) -> float | None:
        """Keep ``answer``; the time (``timer``'s) until which it stays fresh, ``None``
        when it is not kept. That is the shortest read's expiry, or ``max_ttl`` from now
        for an answer that read nothing; the entry itself lives at most ``max_ttl``."""
        if not ledger.cacheable or answer.response.status != 200:
            return None
        now = self.store.timer()
        ttl = min(self.max_ttl, ledger.expires_at - now)
        if ttl <= 0:
            return None
        fresh_until = ledger.expires_at if math.isfinite(ledger.expires_at) else now + ttl
        self.store.set(key, replace(answer, fresh_until=fresh_until), ttl, ledger.tags)
        self.stats.stored += 1
        return fresh_until

    def invalidate(self, tags: Iterable[Tag]) -> None:
        self.store.invalidate(tags)

    def clear(self) -> None:
        self.store.clear()

"""HTTP caching of persisted GETs: a GET that names its document by id (``documentId`` or
an APQ hash) has a short, stable URL, so a browser or an app's HTTP cache can keep the
answer. It may, for as long as every read behind the answer stays fresh:

- ``Cache-Control: private, max-age=N``: N is the remaining life of the shortest read the
  answer was built from (``private``: the answer is the caller's, no shared cache keeps it);
- ``Vary`` on the credential headers and ``Accept``: another key, or another media type,
  is another answer;
- ``ETag``, the hash of the body: ``If-None-Match`` with it is answered 304, no body.

Anything else a persisted GET returns (mutations are refused over GET; errors, partial or
stale answers, answers built from reads that are not cached) gets ``no-store``. Only the
answers the response cache may keep qualify, so caching GETs needs ``CG_RESPONSE_CACHE``.
"""

from __future__ import annotations

import hashlib
import math

from starlette.datastructures import Headers, QueryParams
from starlette.types import Scope

from gateway.http_compliance.responses import HttpResponse
from gateway.persisted.http import names_persisted_document

__all__ = ["NO_STORE", "VARY", "answer_validators", "is_persisted_get", "max_age"]

NO_STORE = "no-store"
#: what else, besides the URL, chooses the answer
VARY = ("X-API-Key", "Authorization", "Accept")
_REPLACED = frozenset({b"cache-control", b"etag"})
_NOT_IN_304 = frozenset({b"content-type", b"content-length"})


def is_persisted_get(scope: Scope) -> bool:
    """A GET naming its document by id: the one kind of request these headers are for."""
    if scope["method"] != "GET":
        return False
    return names_persisted_document(QueryParams(scope.get("query_string", b"")))


def max_age(fresh_until: float, now: float) -> int:
    """Whole seconds the answer stays fresh (rounded down: never past a read's life)."""
    remaining = fresh_until - now
    return max(0, math.floor(remaining)) if math.isfinite(remaining) else 0


def answer_validators(scope: Scope, answer: HttpResponse, seconds: int | None) -> HttpResponse:
    """``answer`` to a persisted GET with its caching headers: cacheable for ``seconds``
    (``None`` or 0: not cacheable, ``no-store``), 304 when the client holds this body.
    Any other request's answer is returned as it is."""
    if not is_persisted_get(scope):
        return answer
    headers = [(k, v) for k, v in answer.headers if k.lower() not in _REPLACED]
    if not seconds or answer.status != 200 or b'"errors"' in answer.body:
        return HttpResponse(
            answer.status, [*headers, (b"cache-control", NO_STORE.encode())], answer.body
        )
    etag = f'"{hashlib.sha256(answer.body).hexdigest()[:32]}"'
    headers = [
        *_with_vary(headers),
        (b"cache-control", f"private, max-age={seconds}".encode()),
        (b"etag", etag.encode()),
    ]
    if _matches(Headers(scope=scope).get("if-none-match"), etag):
        kept = [(k, v) for k, v in headers if k.lower() not in _NOT_IN_304]
        return HttpResponse(304, kept, b"")
    return HttpResponse(answer.status, headers, answer.body)


def _with_vary(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """``Vary`` joined with one an inner layer set (each name once)."""
    names: list[str] = []
    others = []
    for key, value in headers:
        if key.lower() == b"vary":
            names.extend(n.strip() for n in value.decode("latin-1").split(",") if n.strip())
        else:
            others.append((key, value))
    seen = {n.lower() for n in names}
    names.extend(n for n in VARY if n.lower() not in seen)
    return [*others, (b"vary", ", ".join(names).encode("latin-1"))]


def _matches(if_none_match: str | None, etag: str) -> bool:
    """RFC 9110 weak comparison: ``W/`` prefixes are ignored, ``*`` matches any."""
    if not if_none_match:
        return False
    for candidate in if_none_match.split(","):
        tag = candidate.strip()
        if tag == "*" or tag.removeprefix("W/") == etag:
            return True
    return False

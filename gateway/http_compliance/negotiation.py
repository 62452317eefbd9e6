"""Which media type the response is sent as, from the request's ``Accept`` header.

``application/graphql-response+json`` when the client names it (it says HTTP statuses are
meaningful: 4xx for a request that could not run) and likes it at least as much as
``application/json``; ``application/json`` for it, for ``*/*``/``application/*`` and when
``Accept`` is missing; ``None`` (406) when the client accepts neither. An operation with
``@defer``/``@stream`` answers ``multipart/mixed``, only to a client that names it.
"""

from __future__ import annotations

__all__ = ["GRAPHQL_RESPONSE_JSON", "JSON", "MULTIPART", "accepts_multipart", "negotiate"]

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
JSON = "application/json"
#: incremental delivery's answers (an operation with ``@defer``/``@stream``)
MULTIPART = "multipart/mixed"


def accepts_multipart(accept: str | None) -> bool:
    """Whether the client reads ``multipart/mixed`` (incremental delivery: Apollo Client
    sends ``multipart/mixed;deferSpec=20220824``); a wildcard does not count, since a
    client that never asked for parts would not know how to read them."""
    return bool(accept) and _quality(accept or "", MULTIPART, wildcards=False) > 0


def negotiate(accept: str | None) -> str | None:
    if accept is None or not accept.strip():
        return JSON
    graphql_q = _quality(accept, GRAPHQL_RESPONSE_JSON, wildcards=False)
    json_q = _quality(accept, JSON, wildcards=True)
    if graphql_q > 0 and graphql_q >= json_q:
        return GRAPHQL_RESPONSE_JSON
    if json_q > 0:
        return JSON
    return None


def _quality(accept: str, media_type: str, *, wildcards: bool) -> float:
    """The q of the most specific range matching ``media_type`` (0 when none does).
    ``application/graphql-response+json`` is only chosen by name: a wildcard means the
    client may not know it, so it gets plain JSON."""
    main = media_type.split("/", 1)[0]
    best: tuple[int, float] = (-1, 0.0)  # (specificity, q)
    for item in accept.split(","):
        name, _, params = item.strip().partition(";")
        name = name.strip().lower()
        if name == media_type:
            specificity = 2
        elif wildcards and name == f"{main}/*":
            specificity = 1
        elif wildcards and name == "*/*":
            specificity = 0
        else:
            continue
        if specificity > best[0]:
            best = (specificity, _q(params))
    return best[1]


def _q(params: str) -> float:
    for param in params.split(";"):
        key, _, value = param.strip().partition("=")
        if key.strip().lower() == "q":
            try:
                return min(max(float(value), 0.0), 1.0)
            except ValueError:
                return 0.0
    return 1.0

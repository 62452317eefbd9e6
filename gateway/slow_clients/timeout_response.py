"""The 408 a slow client gets: a GraphQL-shaped error, so clients parse it like every other
refusal (:mod:`gateway.http_compliance.refusal`), and ``connection: close`` (the rest of
the request is never read)."""

from __future__ import annotations

from gateway.http_compliance.refusal import refusal
from gateway.http_compliance.responses import HttpResponse

__all__ = ["REQUEST_TIMEOUT", "timeout_refusal"]

REQUEST_TIMEOUT = "REQUEST_TIMEOUT"
_CLOSE = ((b"connection", b"close"),)


def timeout_refusal(what: str, seconds: float, accept: str | None) -> HttpResponse:
    """The 408 for a request whose ``what`` (its headers, its body) did not arrive within
    ``seconds``; ``accept``: its ``Accept`` header, ``None`` when its headers never came."""
    message = f"The request {what} did not arrive within {seconds:g} s."
    error = {"message": message, "extensions": {"code": REQUEST_TIMEOUT, "timeoutSeconds": seconds}}
    return refusal(408, [error], accept, _CLOSE)

"""The 408 a slow client gets: a GraphQL-shaped JSON error, so clients parse it like every
other refusal, and ``connection: close`` (the rest of the request is never read)."""

from __future__ import annotations

import json

__all__ = ["REQUEST_TIMEOUT", "timeout_body", "timeout_head"]

REQUEST_TIMEOUT = "REQUEST_TIMEOUT"


def timeout_body(what: str, seconds: float) -> bytes:
    message = f"The request {what} did not arrive within {seconds:g} s."
    error = {"message": message, "extensions": {"code": REQUEST_TIMEOUT, "timeoutSeconds": seconds}}
    return json.dumps({"errors": [error]}, separators=(",", ":")).encode()


def timeout_head(body: bytes) -> list[tuple[bytes, bytes]]:
    return [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),
    ]

"""Request body size: a body over the limit is refused with 413 before it is parsed; a
declared ``Content-Length`` over the limit is refused before a byte of it is read."""

from __future__ import annotations

from starlette.types import Receive

from gateway.limits.errors import REQUEST_TOO_LARGE, HttpLimitError

__all__ = ["check_declared_length", "read_body"]


def _too_large(max_bytes: int) -> HttpLimitError:
    return HttpLimitError(
        413,
        REQUEST_TOO_LARGE,
        f"The request body is larger than {max_bytes} bytes.",
        maxBytes=max_bytes,
    )


def check_declared_length(content_length: str | None, max_bytes: int) -> None:
    if content_length is None:
        return
    try:
        declared = int(content_length)
    except ValueError:
        raise HttpLimitError(400, "BAD_REQUEST", "Content-Length is not a number.") from None
    if declared > max_bytes:
        raise _too_large(max_bytes)


async def read_body(receive: Receive, max_bytes: int) -> bytes | None:
    """The whole body, read until it ends or passes ``max_bytes``; ``None`` when the
    client went away."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunk: bytes = message.get("body", b"")
        size += len(chunk)
        if size > max_bytes:
            raise _too_large(max_bytes)
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)

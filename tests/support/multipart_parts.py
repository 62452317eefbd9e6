"""Reads an answer in parts (``multipart/mixed``, incremental delivery) as a client does."""

from __future__ import annotations

import json
import re
from typing import Any

__all__ = ["boundary_of", "parts"]


def boundary_of(content_type: str) -> str:
    found = re.search(r'boundary="?([^";]+)"?', content_type)
    assert found, f"no boundary in {content_type!r}"
    return found.group(1)


def parts(body: bytes, content_type: str) -> list[dict[str, Any]]:
    """Each part's JSON, in order, read by its Content-Length (a JSON string may hold the
    boundary); asserts the stream is closed by the final boundary."""
    boundary = f"--{boundary_of(content_type)}".encode()
    assert body.startswith(boundary), body[:40]
    at, found = len(boundary), []
    while not body.startswith(b"--", at):
        assert body.startswith(b"\r\n", at), body[at : at + 40]
        head_end = body.index(b"\r\n\r\n", at)
        head = body[at + 2 : head_end].decode().lower()
        assert "application/json" in head, head
        length = int(re.search(r"content-length:\s*(\d+)", head).group(1))  # type: ignore[union-attr]
        payload_at = head_end + 4
        found.append(json.loads(body[payload_at : payload_at + length]))
        at = payload_at + length
        assert body.startswith(b"\r\n" + boundary, at), body[at : at + 40]
        at += 2 + len(boundary)
    return found

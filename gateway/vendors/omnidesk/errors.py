"""Omnidesk's error body, ``{"status": "error", "message": "…"}``, as a VendorRejection.

Omnidesk has no error codes; the client derives two from the message so callers can act on
them (``not_found``, ``duplicate``), and takes the offending field from ``Field '<name>'``.
A body with ``status == "error"`` is a failure whatever the HTTP status
(docs/vendors/omnidesk.md §3.2).
"""

from __future__ import annotations

import re
from typing import Any

import httpx

from gateway.vendors.http import VendorRejection

__all__ = ["DUPLICATE", "NOT_FOUND", "is_error_body", "parse_error"]

NOT_FOUND = "not_found"
DUPLICATE = "duplicate"
MAX_MESSAGE = 160
_FIELD = re.compile(r"Field '([A-Za-z0-9_]+)'")


def _error_payload(response: httpx.Response) -> dict[str, Any] | None:
    try:
        body = response.json()
    except ValueError:
        return None
    if isinstance(body, dict) and body.get("status") == "error":
        return body
    return None


def is_error_body(response: httpx.Response) -> bool:
    """True for ``{"status": "error", …}``, even under HTTP 200."""
    return _error_payload(response) is not None


def parse_error(response: httpx.Response) -> VendorRejection:
    """The message (shortened), the field it names, and a derived code."""
    body = _error_payload(response)
    if body is None:
        return VendorRejection()
    message = str(body.get("message") or "")[:MAX_MESSAGE]
    field = m.group(1) if (m := _FIELD.search(message)) else None
    return VendorRejection(message=message, code=_code(message), field=field)


def _code(message: str) -> str | None:
    lowered = message.lower()
    if lowered.endswith("not found."):
        return NOT_FOUND
    if "already exists" in lowered:
        return DUPLICATE
    return None

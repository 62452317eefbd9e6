"""Omnidesk's error body, ``{"status": "error", "message": "…"}``, as a VendorRejection.

Omnidesk has no error codes; the client derives two from the message so callers can act on
them (``not_found``, ``duplicate``), and takes the offending field from ``Field '<name>'``.
A body with ``status == "error"`` is a failure whatever the HTTP status
(docs/vendors/omnidesk.md §3.2).
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ValidationError

from vendors.http import VendorRejection, VendorResponse

__all__ = ["DUPLICATE", "NOT_FOUND", "is_error_body", "parse_error"]

NOT_FOUND = "not_found"
DUPLICATE = "duplicate"
MAX_MESSAGE = 160
_FIELD = re.compile(r"Field '([A-Za-z0-9_]+)'")


class _Status(BaseModel):
    """Only an answer's ``status``: read from the bytes without building the rest."""

    status: Any = None


def _error_payload(response: VendorResponse) -> dict[str, Any] | None:
    try:
        body = response.json()
    except ValueError:
        return None
    if isinstance(body, dict) and body.get("status") == "error":
        return body
    return None


def is_error_body(response: VendorResponse) -> bool:
    """True for ``{"status": "error", …}``, even under HTTP 200. Every 2xx answer is
    checked, so cheaply: no ``error`` in the bytes (nor a ``\\u`` escape that could spell
    it) needs no parsing, and otherwise only ``status`` is read."""
    content = response.content
    if b"error" not in content and b"\\u" not in content:
        return False
    try:
        status: object = _Status.model_validate_json(content).status
    except ValidationError:  # not JSON, or not an object
        return False
    return status == "error"


def parse_error(response: VendorResponse) -> VendorRejection:
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

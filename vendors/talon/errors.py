"""Talon.One error bodies → :class:`VendorRejection` (message, code, field).

Both ``ErrorResponse`` and ``ErrorResponseWithStatus`` carry ``message`` and ``errors[]``;
the first error's ``title`` is the code, and its ``source`` names the field: a JSON pointer
(``/customerSession/state`` → ``customerSession.state``) or a query ``parameter``.
Only those short facts are kept — never ``details`` or the raw body.
"""

from __future__ import annotations

from pydantic import ValidationError

from vendors.errors import VendorConflictError
from vendors.http import VendorRejection, VendorResponse
from vendors.talon.models.errors import ErrorResponseWithStatus, ErrorSource

__all__ = ["OVERLAP_CONFLICT_CODE", "is_overlap_conflict", "parse_error", "pointer_to_field"]

_MAX_MESSAGE = 200

#: ``VendorConflictError.code`` for Talon.One's "request for this session/profile in progress"
OVERLAP_CONFLICT_CODE = "TooManyRequests"


def is_overlap_conflict(error: BaseException) -> bool:
    """Talon.One's 409 for a request overlapping another on the same session or profile
    (worth a retry, unlike a real conflict)."""
    return isinstance(error, VendorConflictError) and error.code == OVERLAP_CONFLICT_CODE


def pointer_to_field(pointer: str) -> str | None:
    """``/customerSession/cartItems/0/sku`` → ``customerSession.cartItems.0.sku``."""
    parts = [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/") if p]
    return ".".join(parts) or None


def _field(source: ErrorSource) -> str | None:
    if source.pointer:
        return pointer_to_field(source.pointer)
    return source.parameter or None


def parse_error(response: VendorResponse) -> VendorRejection:
    """Read a Talon.One error body; anything that is not one gives an empty rejection."""
    try:
        body = ErrorResponseWithStatus.model_validate_json(response.content)
    except ValidationError:
        return VendorRejection()
    first = body.errors[0] if body.errors else None
    return VendorRejection(
        message=(body.message or "")[:_MAX_MESSAGE],
        code=first.title if first else None,
        field=_field(first.source) if first else None,
    )

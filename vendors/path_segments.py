"""The one rule for values that go into a vendor URL path, applied before any I/O.

``quote(value, safe="")`` alone is not enough: it leaves ``.`` and ``..`` as they are, and
the URL layer collapses them, so ``/customers/..`` reaches another route of the vendor. So
every path value passes one of three checks here, and a refusal is a
:class:`PathSegmentError` that names the path parameter (the client cannot know the GraphQL
argument; the error mapping answers it as ``BAD_USER_INPUT``):

- :func:`guid_segment`: a GUID, ``8-4-4-4-12`` ASCII hex (Tallymarks customer and segment ids);
- :func:`number_segment`: a positive int64 written in ASCII digits (Talon.One entity ids
  such as ``audienceId``, Omnidesk internal ids);
- :func:`text_segment`: a client-chosen free-form id (Talon.One ``integrationId``,
  ``customerSessionId``, coupon codes): not blank, not ``.`` or ``..``, no ``/`` or ``\\``,
  no control or invisible format characters, no edge whitespace, at most
  :data:`MAX_TEXT_SEGMENT` characters, all of it also after percent-decoding. What passes is
  percent-encoded as exactly one segment.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote, unquote

from vendors.errors import VendorInvalidInputError

__all__ = [
    "INT64_MAX",
    "MAX_TEXT_SEGMENT",
    "PathSegmentError",
    "guid_segment",
    "is_guid",
    "number_segment",
    "parse_ascii_number",
    "text_problem",
    "text_segment",
]

#: Talon.One's documented cap on client-chosen ids (integrationId, customerSessionId)
MAX_TEXT_SEGMENT = 1000
#: the vendors' numeric ids are int64
INT64_MAX = 2**63 - 1

_GUID = re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")
_DIGITS = re.compile(r"[0-9]{1,19}")
#: control, format (zero-width, bidi), surrogate, unassigned/private, line/paragraph separators
_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})
#: how many rounds of percent-decoding are checked (``%252e`` is ``.`` after two)
_DECODE_ROUNDS = 3


class PathSegmentError(VendorInvalidInputError):
    """A value that cannot be one path segment; raised before any request is built.
    ``field`` is the vendor's path parameter (``customerId``, ``audienceId`` …)."""

    def __init__(self, vendor: str, endpoint: str, param: str, reason: str) -> None:
        super().__init__(
            vendor, endpoint, None, f"{param} {reason}", field=param, code="InvalidPathSegment"
        )
        self.param = param
        self.reason = reason


def is_guid(value: object) -> bool:
    """Whether ``value`` is a hyphenated GUID in ASCII hex (no braces, no ``urn:``)."""
    return isinstance(value, str) and _GUID.fullmatch(value) is not None


def guid_segment(value: str, *, vendor: str, endpoint: str, param: str) -> str:
    """``value`` when it is a hyphenated GUID (ASCII hex only)."""
    if not is_guid(value):
        raise PathSegmentError(vendor, endpoint, param, "is not a GUID")
    return value


def parse_ascii_number(value: str | int) -> int | None:
    """A positive int64 from ASCII digits (or an int), else ``None``. ``str.isdigit`` is not
    the test: it accepts ``"٣"`` and ``"¹"``, which ``int()`` reads as 3 or refuses."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and _DIGITS.fullmatch(value):
        number = int(value)
    else:
        return None
    return number if 0 < number <= INT64_MAX else None


def number_segment(value: str | int, *, vendor: str, endpoint: str, param: str) -> str:
    """A positive int64 id as its ASCII decimal digits."""
    number = parse_ascii_number(value)
    if number is None:
        raise PathSegmentError(vendor, endpoint, param, "is not a positive whole number")
    return str(number)


def text_segment(value: str, *, vendor: str, endpoint: str, param: str) -> str:
    """A free-form id percent-encoded as exactly one path segment."""
    reason = text_problem(value)
    if reason is not None:
        raise PathSegmentError(vendor, endpoint, param, reason)
    return quote(value, safe="")


def text_problem(value: object) -> str | None:
    """Why ``value`` cannot be a free-form path segment (``"is a dot segment"`` …), or
    ``None`` when it can."""
    if not isinstance(value, str):
        return "is not text"
    if len(value) > MAX_TEXT_SEGMENT:
        return f"is longer than {MAX_TEXT_SEGMENT} characters"
    return _unsafe(value)


def _unsafe(value: str) -> str | None:
    """Why ``value`` (or what it percent-decodes to) cannot be one segment, else ``None``."""
    seen = value
    for _ in range(_DECODE_ROUNDS + 1):
        reason = _unsafe_text(seen)
        if reason is not None:
            return reason
        decoded = unquote(seen) if "%" in seen else seen
        if decoded == seen:
            return None
        seen = decoded
    return "is percent-encoded too many times"


def _unsafe_text(value: str) -> str | None:
    if not value.strip():
        return "is empty"
    if value != value.strip():
        return "starts or ends with whitespace"
    if value in {".", ".."}:
        return "is a dot segment"
    if "/" in value or "\\" in value:
        return "contains a slash"
    if any(unicodedata.category(ch) in _REFUSED_CATEGORIES for ch in value):
        return "contains a control character"
    return None

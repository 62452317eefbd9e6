"""The one way the gateway writes a GraphQL answer as JSON: orjson, compact, UTF-8.

Every answer body goes through :func:`encode_answer` (Strawberry's router, the reshaped and
error responses, the parts of an answer in parts), so an answer reads the same whichever
path wrote it. orjson is several times cheaper than ``json.dumps`` on a customer-360 and
writes text as UTF-8 rather than ``\\uXXXX`` escapes: valid JSON, smaller, and what the
``charset=utf-8`` / ``application/graphql-response+json`` content types announce.

A ``JSON`` scalar passes vendor data through untouched, so an answer can hold what orjson
refuses: an integer beyond 64 bits, a non-string key, a lone UTF-16 surrogate (a vendor's
``"\\ud83d"`` decodes to one), nesting past orjson's 255 levels. Those answers are written
by the standard library instead, as before (surrogates escaped, so the bytes stay valid
UTF-8). ``NaN`` and infinities are not JSON: both paths write them as ``null``.
"""

from __future__ import annotations

import json
import math
from typing import Any

import orjson

__all__ = ["encode_answer"]

_COMPACT = (",", ":")


def encode_answer(payload: Any) -> bytes:
    """``payload`` as compact JSON bytes (UTF-8)."""
    try:
        return orjson.dumps(payload)
    except orjson.JSONEncodeError:
        return json.dumps(_finite(payload), separators=_COMPACT, allow_nan=False).encode()


def _finite(value: Any) -> Any:
    """``value`` with every non-finite float as ``None``: what orjson writes for them (the
    standard library would write ``NaN``, which no JSON parser reads)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value

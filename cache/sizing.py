"""Cheap size estimates (bytes of Python heap) for what the bounded caches hold.

Exact deep sizes would cost a walk of every object on every store; these are computed once
per stored entry from what is at hand: a string's own size (exact), a response body's
length, and for a vendor model the length of its JSON form (pydantic's Rust serializer,
microseconds; paid on a cache miss, right after the vendor call that produced the model)
times the heap-to-JSON ratio measured on the sandboxes' models (4-9x, plus ~1 KB of
object overhead).
"""

from __future__ import annotations

import sys

from pydantic import BaseModel

__all__ = ["ENTRY_OVERHEAD", "MiB", "estimate_size", "text_size"]

MiB = 1024 * 1024
#: a map slot, its key (a hash, a tuple of short strings) and the LRU's bookkeeping
ENTRY_OVERHEAD = 512
#: heap bytes per byte of a model's JSON (measured 4-9x on the sandboxes' vendor models)
HEAP_PER_JSON_BYTE = 8
#: a model's fixed cost (the instance, its ``__dict__``, field-set bookkeeping)
OBJECT_OVERHEAD = 1024
#: anything else a cache may be handed (no walk: a conservative flat estimate)
OPAQUE_OBJECT = 4096


def text_size(text: str | bytes) -> int:
    """Exact: ``sys.getsizeof`` of a str or bytes is O(1) (header + length x width)."""
    return sys.getsizeof(text)


def estimate_size(value: object) -> int:
    """Heap bytes ``value`` holds, estimated without walking Python objects."""
    if value is None or isinstance(value, bool | int | float):
        return 32
    if isinstance(value, str | bytes):
        return text_size(value)
    if isinstance(value, BaseModel):
        as_json = value.__pydantic_serializer__.to_json(value)
        return OBJECT_OVERHEAD + HEAP_PER_JSON_BYTE * len(as_json)
    if isinstance(value, list | tuple):
        return sys.getsizeof(value) + sum(estimate_size(item) for item in value)
    return OPAQUE_OBJECT

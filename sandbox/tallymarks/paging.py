"""Tallymarks paging: ``limit`` ≤ 100, an opaque ``offsetKey`` (docs/vendors/tallymarks.md §4).

Order is stable: ``createdAt`` descending, then id descending. The ``offsetKey`` is the
base64url of the last returned item's (createdAt, id), so the next page starts strictly
after it — inserts between calls never repeat or skip an older item. It is ``null`` on the
last page.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import TypeVar

from sandbox.tallymarks.dates import format_instant
from sandbox.tallymarks.errors import invalid
from sandbox.tallymarks.options import TallymarksSandboxOptions

T = TypeVar("T")
SortKey = tuple[datetime, str]


def effective_limit(limit: int | None, options: TallymarksSandboxOptions) -> int:
    if limit is None:
        return options.default_limit
    if limit < 1:
        raise invalid("limit", "The limit must be at least 1.", limit)
    if limit > options.max_limit:
        if options.limit_over_max == "clamp":
            return options.max_limit
        raise invalid("limit", f"The limit must not exceed {options.max_limit}.", limit)
    return limit


def encode_key(key: SortKey) -> str:
    raw = json.dumps([format_instant(key[0]), key[1]], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_key(offset_key: str) -> SortKey:
    try:
        padded = offset_key + "=" * (-len(offset_key) % 4)
        created, item_id = json.loads(base64.urlsafe_b64decode(padded.encode()))
        return datetime.fromisoformat(created), str(item_id)
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        raise invalid("offsetKey", "The offsetKey is not valid.", offset_key) from None


def page(
    items: Iterable[T], key: Callable[[T], SortKey], limit: int, offset_key: str | None
) -> tuple[list[T], str | None]:
    """One page of ``items`` and the key of the next page (``None`` when this is the last)."""
    after = decode_key(offset_key) if offset_key else None
    ordered = sorted(items, key=key, reverse=True)
    if after is not None:
        ordered = [item for item in ordered if key(item) < after]
    chunk = ordered[: limit + 1]
    if len(chunk) > limit:
        return chunk[:limit], encode_key(key(chunk[limit - 1]))
    return chunk, None

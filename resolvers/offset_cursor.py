"""Relay paging over a vendor that pages with an opaque ``offsetKey`` (Tallymarks).

A cursor is base64 of ``(offsetKey of a vendor page, items of that page already seen,
fingerprint of the query)``: the vendor only hands out a key per *page*, so an edge in the
middle of a page resumes by re-reading that page and skipping what was seen. The last edge
of a vendor page points at the vendor's next key, so following ``endCursor`` reads each
vendor page once. The fingerprint ties a cursor to its query: a cursor from another search
or filter is bad input, not a silently wrong page.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from gateway.errors import BadUserInputError
from resolvers.cursor_text import cursor_text, invalid_cursor, parsed_cursor
from vendors.page_size import MAX_PAGE_SIZE

__all__ = [
    "MAX_PAGE_SIZE",
    "OffsetCursor",
    "OffsetPage",
    "check_first",
    "query_scope",
    "read_page",
]

T = TypeVar("T")

#: ``(offset_key, limit) -> (items, next offset_key)``
FetchPage = Callable[[str | None, int], Awaitable[tuple[list[T], str | None]]]


def query_scope(kind: str, **args: object) -> str:
    """A short fingerprint of what a list is (its kind and filters), kept in its cursors."""
    canonical = json.dumps([kind, sorted((k, str(v)) for k, v in args.items() if v is not None)])
    return hashlib.sha256(canonical.encode()).hexdigest()[:12]


@dataclass(frozen=True, slots=True)
class OffsetCursor:
    offset_key: str | None
    skip: int
    scope: str

    def encode(self) -> str:
        return cursor_text([self.offset_key, self.skip, self.scope])

    @classmethod
    def decode(cls, value: str, scope: str, *, argument: str = "after") -> OffsetCursor:
        match parsed_cursor(value, argument=argument):
            case [offset_key, skip, found_scope]:
                pass
            case _:
                raise invalid_cursor(argument)
        if not (
            (offset_key is None or isinstance(offset_key, str))
            and isinstance(skip, int)
            and 0 <= skip <= MAX_PAGE_SIZE
            and isinstance(found_scope, str)
        ):
            raise invalid_cursor(argument)
        if found_scope != scope:
            raise BadUserInputError(
                "This cursor belongs to a different list or filter; page with the same "
                "arguments that produced it.",
                argument=argument,
            )
        return cls(offset_key, skip, scope)


@dataclass(frozen=True)
class OffsetPage(Generic[T]):
    """One page as Relay sees it: ``(cursor, item)`` pairs and where to go next."""

    edges: list[tuple[str, T]]
    has_next_page: bool
    has_previous_page: bool
    end_cursor: str | None

    @property
    def start_cursor(self) -> str | None:
        return self.edges[0][0] if self.edges else None


def check_first(first: int, *, argument: str = "first") -> int:
    if not 1 <= first <= MAX_PAGE_SIZE:
        raise BadUserInputError(
            f"`{argument}` must be between 1 and {MAX_PAGE_SIZE}.", argument=argument
        )
    return first


async def read_page(
    fetch: FetchPage[T], *, first: int, after: str | None, scope: str
) -> OffsetPage[T]:
    """The ``first`` items after ``after`` (bad ``first``/``after`` → BAD_USER_INPUT)."""
    check_first(first)
    start = OffsetCursor.decode(after, scope) if after else OffsetCursor(None, 0, scope)
    items, next_key = await fetch(start.offset_key, min(MAX_PAGE_SIZE, start.skip + first))
    taken = items[start.skip : start.skip + first]
    edges: list[tuple[str, T]] = []
    for i, item in enumerate(taken):
        seen = start.skip + i + 1
        at_page_end = seen == len(items) and bool(next_key)
        cursor = (
            OffsetCursor(next_key, 0, scope)
            if at_page_end
            else OffsetCursor(start.offset_key, seen, scope)
        )
        edges.append((cursor.encode(), item))
    has_next = start.skip + len(taken) < len(items) or bool(next_key)
    if edges:
        end_cursor: str | None = edges[-1][0]
    else:  # nothing left on this vendor page (e.g. items removed since): go on from the next
        end_cursor = OffsetCursor(next_key, 0, scope).encode() if next_key else None
    return OffsetPage(edges, has_next, after is not None, end_cursor)

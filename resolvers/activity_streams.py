"""One source of the activity feed as a stream: look at its next item, take it, say where
the stream stands. The merge (:mod:`resolvers.activity_merge`) only needs these four steps.

A stream never moves its position until a read succeeded, so a read that fails leaves the
position at the last item taken: nothing of the source is skipped.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Protocol

from resolvers.activity_cursor import ListPosition, PagedPosition, Position
from resolvers.activity_items import ActivityItem, Source, loyalty_item
from vendors.tallymarks.models import EventPage

__all__ = ["ActivityStream", "ListStream", "LoadItems", "LoyaltyStream", "ReadEventPage"]

#: the vendor's page limit
PAGE_LIMIT = 100
#: ``(offset_key, limit) -> page``; the call starts when made (a dataloader future)
ReadEventPage = Callable[[str | None, int], Awaitable[EventPage]]
#: reads a whole source; the call starts when made
LoadItems = Callable[[], Awaitable[list[ActivityItem]]]


class ActivityStream(Protocol):
    source: Source

    async def peek(self, want: int) -> ActivityItem | None:
        """The next item (``None`` when the source has no more); ``want`` is how many items
        the page may still take, so a paged source reads no more than that."""

    def pop(self) -> None:
        """Take the item :meth:`peek` returned."""

    def position(self) -> Position:
        """Where the stream stands now (after the items taken)."""

    def has_more(self) -> bool:
        """Whether items may follow, without reading anything."""


class LoyaltyStream:
    """Tallymarks events, read lazily page by page (newest first, in the vendor's order)."""

    source = Source.LOYALTY

    def __init__(self, read: ReadEventPage, start: PagedPosition) -> None:
        self._read = read
        self._key = start.offset_key
        self._skip = start.skip
        self._exhausted = start.exhausted
        self._page: list[ActivityItem] | None = None
        self._next_key: str | None = None
        self._pending: Awaitable[EventPage] | None = None

    def prefetch(self, want: int) -> None:
        """Start reading the first page now, so the call joins this tick's batch."""
        if not self._exhausted and self._page is None and self._pending is None:
            self._pending = self._read(self._key, min(PAGE_LIMIT, self._skip + want))

    async def peek(self, want: int) -> ActivityItem | None:
        while not self._exhausted:
            if self._page is None:
                self.prefetch(want)
                assert self._pending is not None
                page, self._pending = await self._pending, None
                self._page, self._next_key = [loyalty_item(e) for e in page.events], page.offset_key
                self._skip = min(self._skip, len(self._page))  # events removed since
            if self._skip < len(self._page):
                return self._page[self._skip]
            if not self._next_key:
                self._exhausted = True
                return None
            # the page is used up: read the next one, moving only once it arrived
            page = await self._read(self._next_key, min(PAGE_LIMIT, want))
            self._key, self._skip = self._next_key, 0
            self._page, self._next_key = [loyalty_item(e) for e in page.events], page.offset_key
        return None

    def pop(self) -> None:
        self._skip += 1

    def position(self) -> PagedPosition:
        if self._exhausted:
            return PagedPosition(exhausted=True)
        if self._page is None or self._skip < len(self._page):
            return PagedPosition(self._key, self._skip)
        if self._next_key:
            return PagedPosition(self._next_key, 0)
        return PagedPosition(exhausted=True)

    def has_more(self) -> bool:
        if self._exhausted:
            return False
        if self._page is None:
            return True
        return self._skip < len(self._page) or bool(self._next_key)


class ListStream:
    """A source read whole (the support timeline, the promotion inventory), ordered newest
    first by ``(occurredAt, id)`` and resumed strictly after the last item emitted."""

    def __init__(self, source: Source, load: LoadItems, start: ListPosition) -> None:
        self.source = source
        self._load = load
        self._pending: Awaitable[list[ActivityItem]] | None = None
        self._items: list[ActivityItem] | None = [] if start.exhausted else None
        self._last = start.last
        self._exhausted = start.exhausted
        self._next = 0

    def prefetch(self) -> None:
        """Start reading now, so the call joins this tick's batch (nothing once used up)."""
        if self._items is None and self._pending is None:
            self._pending = self._load()

    async def peek(self, want: int) -> ActivityItem | None:
        if self._items is None:
            self.prefetch()
            assert self._pending is not None
            found, self._pending = await self._pending, None
            ordered = sorted(found, key=lambda i: i.sort_key, reverse=True)
            last = self._last
            self._items = ordered if last is None else [i for i in ordered if i.sort_key < last]
        return self._items[self._next] if self._next < len(self._items) else None

    def pop(self) -> None:
        assert self._items is not None
        self._last = self._items[self._next].sort_key
        self._next += 1
        self._exhausted = self._next >= len(self._items)

    def position(self) -> ListPosition:
        return ListPosition(self._last, self._exhausted)

    def has_more(self) -> bool:
        return self._items is None or self._next < len(self._items)

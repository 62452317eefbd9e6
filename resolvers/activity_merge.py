"""The k-way merge behind the activity feed: newest first across the sources.

Order: ``occurredAt`` descending; at the same instant, by source (loyalty, support,
promotions); within a source, the source's own order (Tallymarks' for loyalty events,
``id`` descending for the sources read whole). Each stream is already in that order, so the
merge takes the newest head each time and never reorders a stream: every item of a source
is emitted exactly once over a walk, whatever the ties.

A source whose vendor fails is dropped for the rest of the page with its error kept; its
position stays where it was, so the next page reads it again from there.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass, field

from resolvers.activity_cursor import FeedPosition
from resolvers.activity_items import ActivityItem, Source
from resolvers.activity_streams import ActivityStream
from vendors.errors import VendorError

__all__ = ["MergedPage", "merge"]


@dataclass(frozen=True)
class MergedPage:
    """``edges`` pairs each item with the feed position right after it."""

    edges: list[tuple[FeedPosition, ActivityItem]]
    end: FeedPosition
    has_next_page: bool
    failures: Mapping[Source, VendorError] = field(default_factory=dict)


def _newest(candidate: tuple[Source, ActivityItem]) -> tuple[object, ...]:
    source, item = candidate
    return (item.occurred_at, -source.rank)


async def merge(
    streams: Mapping[Source, ActivityStream], start: FeedPosition, first: int
) -> MergedPage:
    """The next ``first`` items after ``start``."""
    failures: dict[Source, VendorError] = {}
    live = dict(streams)
    heads: dict[Source, ActivityItem | None] = {}

    async def peek(source: Source, want: int) -> None:
        try:
            heads[source] = await live[source].peek(want)
        except VendorError as exc:
            failures[source] = exc
            del live[source]

    await asyncio.gather(*(peek(s, first) for s in list(live)))
    position = start
    edges: list[tuple[FeedPosition, ActivityItem]] = []
    while len(edges) < first:
        ready = [(s, item) for s, item in heads.items() if item is not None and s in live]
        if not ready:
            break
        source, item = max(ready, key=_newest)
        live[source].pop()
        position = position.moved(source, live[source].position())
        edges.append((position, item))
        if len(edges) < first:
            await peek(source, first - len(edges))
    has_next = bool(failures) or any(s.has_more() for s in live.values())
    return MergedPage(edges, position, has_next, failures)

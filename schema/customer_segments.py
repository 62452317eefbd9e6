"""A customer's segments from both systems, with partial results.

The loyalty system's segment memberships and the promotion engine's audiences are read
concurrently. A system that fails does not hide the other's segments: it becomes one list
entry that raises its error when GraphQL completes it, so the response holds the other
system's segments, a ``null`` at that entry and an error (code, vendor) whose path points
at it — GraphQL's own way of reporting a partly failed list.

Both reads are issued (their loaders' loads queued) before either is awaited, then awaited
in the field's own task: a search page asks this of every customer, and a task plus a
gather per source per customer was most of this field's cost.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Generator, Iterable, Sequence
from typing import Any, TypeVar

from gateway.context import GraphQLContext
from resolvers import loyalty, promotions
from resolvers.mapped_read import MappedRead
from schema.loyalty import LoyaltySegment
from schema.promotions import Audience
from schema.segment import Segment, SegmentSource

__all__ = ["customer_segments"]

M = TypeVar("M")


def _converted(
    read: Awaitable[Iterable[M] | None], segment: Callable[[M], Segment]
) -> Awaitable[list[Segment]]:
    return MappedRead(read, lambda found: [segment(m) for m in found or ()])


def _loyalty(ctx: GraphQLContext, customer_id: str) -> Awaitable[list[Segment]]:
    return _converted(loyalty.loyalty_segments(ctx, customer_id), LoyaltySegment.from_tallymarks)


def _promotions(ctx: GraphQLContext, customer_id: str) -> Awaitable[list[Segment]]:
    return _converted(promotions.customer_audiences(ctx, customer_id), Audience.from_talon)


#: each source's read, issued at the call (awaiting it only converts the answer)
_READERS: dict[SegmentSource, Callable[[GraphQLContext, str], Awaitable[list[Segment]]]] = {
    SegmentSource.LOYALTY: _loyalty,
    SegmentSource.PROMOTIONS: _promotions,
}


async def customer_segments(
    ctx: GraphQLContext, customer_id: str, sources: Sequence[SegmentSource] | None
) -> list[object]:
    """Segments of the asked sources (all by default), loyalty first; each failed source is
    one trailing entry that raises its error."""
    started = [
        _READERS[s](ctx, customer_id) for s in SegmentSource if sources is None or s in sources
    ]
    segments: list[object] = []
    failures: list[object] = []
    for read in started:
        try:
            segments.extend(await read)
        except Exception as exc:
            failures.append(_FailedSource(exc))
    return segments + failures


class _FailedSource:
    """A list entry that raises a source's error when GraphQL awaits it (made lazily, so an
    entry never awaited leaves no un-awaited coroutine behind)."""

    def __init__(self, error: Exception) -> None:
        self._error = error

    def __await__(self) -> Generator[Any, None, Segment]:
        return self._fail().__await__()

    async def _fail(self) -> Segment:
        raise self._error

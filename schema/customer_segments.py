"""A customer's segments from both systems, with partial results.

The loyalty system's segment memberships and the promotion engine's audiences are read
concurrently. A system that fails does not hide the other's segments: it becomes one list
entry that raises its error when GraphQL completes it, so the response holds the other
system's segments, a ``null`` at that entry and an error (code, vendor) whose path points
at it — GraphQL's own way of reporting a partly failed list.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Generator, Sequence
from typing import Any

from gateway.context import GraphQLContext
from resolvers import loyalty, promotions
from schema.loyalty import LoyaltySegment
from schema.promotions import Audience
from schema.segment import Segment, SegmentSource

__all__ = ["customer_segments"]


async def _loyalty(ctx: GraphQLContext, customer_id: str) -> list[Segment]:
    return [
        LoyaltySegment.from_tallymarks(m) for m in await loyalty.loyalty_segments(ctx, customer_id)
    ]


async def _promotions(ctx: GraphQLContext, customer_id: str) -> list[Segment]:
    found = await promotions.customer_audiences(ctx, customer_id)
    return [Audience.from_talon(m) for m in found or ()]


_READERS: dict[SegmentSource, Callable[[GraphQLContext, str], Awaitable[list[Segment]]]] = {
    SegmentSource.LOYALTY: _loyalty,
    SegmentSource.PROMOTIONS: _promotions,
}


async def customer_segments(
    ctx: GraphQLContext, customer_id: str, sources: Sequence[SegmentSource] | None
) -> list[object]:
    """Segments of the asked sources (all by default), loyalty first; each failed source is
    one trailing entry that raises its error."""
    wanted = [s for s in SegmentSource if sources is None or s in sources]
    found = await asyncio.gather(
        *(_READERS[s](ctx, customer_id) for s in wanted), return_exceptions=True
    )
    segments: list[object] = []
    failures: list[object] = []
    for result in found:
        if isinstance(result, BaseException):
            if not isinstance(result, Exception):
                raise result
            failures.append(_FailedSource(result))
        else:
            segments.extend(result)
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

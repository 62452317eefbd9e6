"""The feed's streams and merge without GraphQL: lazy Tallymarks reads, positions that only
move after a successful read, and a merge that never reorders a stream."""

from __future__ import annotations

from collections.abc import Awaitable
from datetime import UTC, datetime, timedelta

from resolvers.activity_cursor import FeedPosition, ListPosition, PagedPosition
from resolvers.activity_items import ActivityItem, Source, loyalty_item
from resolvers.activity_merge import merge
from resolvers.activity_streams import ListStream, LoyaltyStream
from vendors.errors import VendorUnavailableError
from vendors.tallymarks.models import CustomerEvent, EventPage

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def _event(n: int, at: datetime) -> CustomerEvent:
    return CustomerEvent(event_id=f"e{n:03d}", customer_id="c", created_at=at, event_type="action")


class FakeTallymarks:
    """Pages of a fixed newest-first list; keys are the index of the next event."""

    def __init__(self, events: list[CustomerEvent], fail_keys: frozenset[str] = frozenset()):
        self.events = events
        self.fail_keys = fail_keys
        self.reads: list[tuple[str | None, int]] = []

    def read(self, key: str | None, limit: int) -> Awaitable[EventPage]:
        self.reads.append((key, limit))

        async def page() -> EventPage:
            if key in self.fail_keys:
                raise VendorUnavailableError("tallymarks", "GET events", 503)
            start = int(key or 0)
            chunk = self.events[start : start + limit]
            more = start + limit < len(self.events)
            return EventPage(events=chunk, offset_key=str(start + limit) if more else None)

        return page()


def _newest_first(n: int, step: timedelta = timedelta(minutes=1)) -> list[CustomerEvent]:
    return [_event(i, T0 - i * step) for i in range(n)]


async def test_a_loyalty_stream_reads_no_more_than_the_page_needs() -> None:
    vendor = FakeTallymarks(_newest_first(300))
    stream = LoyaltyStream(vendor.read, PagedPosition("0", 98))

    taken = []
    for want in (5, 4, 3, 2, 1):
        item = await stream.peek(want)
        assert item is not None
        taken.append(item.id)
        stream.pop()

    assert taken == [f"loyalty:e{i:03d}" for i in range(98, 103)]
    assert vendor.reads == [("0", 100), ("100", 3)]
    assert stream.position() == PagedPosition("103", 0)  # that page used up: the next one


async def test_a_failed_read_leaves_the_position_where_it_was() -> None:
    vendor = FakeTallymarks(_newest_first(10), fail_keys=frozenset({"4"}))
    stream = LoyaltyStream(vendor.read, PagedPosition())
    for _ in range(4):
        assert await stream.peek(4) is not None
        stream.pop()

    try:
        await stream.peek(4)
    except VendorUnavailableError:
        pass
    else:
        raise AssertionError("the second page should have failed")

    assert stream.position() == PagedPosition("4", 0)


def _items(source: Source, stamps: list[tuple[int, str]]) -> list[ActivityItem]:
    return [
        ActivityItem(source, f"{source.value}:{name}", T0 - timedelta(minutes=m), _event(0, T0))
        for m, name in stamps
    ]


async def _listed(items: list[ActivityItem]) -> list[ActivityItem]:
    return items


async def test_the_merge_orders_ties_by_source_and_resumes_exactly() -> None:
    events = [_event(9, T0), _event(8, T0), _event(7, T0 - timedelta(minutes=2))]
    support = _items(Source.SUPPORT, [(0, "b"), (0, "a"), (1, "c")])
    promos = _items(Source.PROMOTIONS, [(0, "z"), (2, "y")])
    expected = [
        "loyalty:e009", "loyalty:e008", "support:b", "support:a", "promotions:z",
        "support:c", "loyalty:e007", "promotions:y",
    ]  # fmt: skip

    for first in range(1, 9):
        position = FeedPosition.start(Source)
        walked: list[str] = []
        for _ in range(20):
            vendor = FakeTallymarks(events)
            streams = {
                Source.LOYALTY: LoyaltyStream(vendor.read, position.positions[Source.LOYALTY]),
                Source.SUPPORT: _list(Source.SUPPORT, support, position),
                Source.PROMOTIONS: _list(Source.PROMOTIONS, promos, position),
            }
            page = await merge(streams, position, first)
            walked += [item.id for _, item in page.edges]
            position = page.end
            if not page.has_next_page:
                break

        assert walked == expected, first


def _list(source: Source, items: list[ActivityItem], at: FeedPosition) -> ListStream:
    start = at.positions[source]
    assert isinstance(start, ListPosition)
    return ListStream(source, lambda: _listed(items), start)


async def test_the_merge_keeps_a_failed_source_for_the_next_page() -> None:
    vendor = FakeTallymarks([_event(1, T0)], fail_keys=frozenset({None}))  # type: ignore[arg-type]
    support = _items(Source.SUPPORT, [(1, "a")])
    start = FeedPosition.start([Source.LOYALTY, Source.SUPPORT])

    page = await merge(
        {
            Source.LOYALTY: LoyaltyStream(vendor.read, PagedPosition()),
            Source.SUPPORT: _list(Source.SUPPORT, support, start),
        },
        start,
        5,
    )

    assert [item.id for _, item in page.edges] == ["support:a"]
    assert set(page.failures) == {Source.LOYALTY}
    assert page.has_next_page
    assert page.end.positions[Source.LOYALTY] == PagedPosition()
    assert loyalty_item(_event(1, T0)).id == "loyalty:e001"

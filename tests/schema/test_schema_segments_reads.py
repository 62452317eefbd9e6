"""``Customer.segments`` reads both systems at once without a task per system: both loads
are queued before either is awaited, then awaited in the field's own task (a search page
asks this of every customer on it). The vendors' answers are the test's own futures."""

from __future__ import annotations

import asyncio
import gc
import warnings
from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any, cast

import pytest

from gateway.context import GraphQLContext
from schema.customer_segments import customer_segments
from schema.loyalty import LoyaltySegment
from schema.promotions import Audience
from schema.segment import SegmentSource
from vendors.tallymarks.models import SegmentMembership
from vendors.tallymarks.reads import SEGMENTS
from vendors.talon.models import AudienceMembership, CustomerInventory, CustomerProfile
from vendors.talon.reads import INVENTORY

PROFILE_ONLY = ("c1", frozenset({"profile"}))


@dataclass
class _Loader:
    """Records the keys asked; each load is a future the test settles (or that settles on
    the next loop step with a preset answer)."""

    asked: dict[Hashable, asyncio.Future[Any]] = field(default_factory=dict)
    preset: dict[Hashable, object] = field(default_factory=dict)

    def load(self, key: Hashable) -> asyncio.Future[Any]:
        future = self.asked.setdefault(key, asyncio.get_running_loop().create_future())
        if key in self.preset:
            future.get_loop().call_soon(future.set_result, self.preset[key])
        return future


@dataclass
class _Loaders:
    by_read: defaultdict[object, _Loader] = field(default_factory=lambda: defaultdict(_Loader))

    def read(self, read: object) -> _Loader:
        return self.by_read[read]


@dataclass
class _Context:
    loaders: _Loaders = field(default_factory=_Loaders)

    def asked(self, read: object) -> list[Hashable]:
        return list(self.loaders.by_read[read].asked) if read in self.loaders.by_read else []

    def answer(self, read: object, key: Hashable, value: object) -> None:
        future = self.loaders.by_read[read].asked[key]
        if isinstance(value, Exception):
            future.set_exception(value)
        else:
            future.set_result(value)


def _ctx(fake: _Context) -> GraphQLContext:
    return cast(GraphQLContext, fake)


def _inventory(*audiences: tuple[int, str]) -> CustomerInventory:
    memberships = [AudienceMembership(id=i, name=n) for i, n in audiences]
    # only the field the segments read: the rest of a profile does not matter here
    only: dict[str, Any] = {"audience_memberships": memberships}
    profile = CustomerProfile.model_construct(**only)
    return CustomerInventory.model_construct(profile=profile)


async def test_both_systems_are_asked_before_either_answers() -> None:
    fake = _Context()
    field_task = asyncio.ensure_future(customer_segments(_ctx(fake), "c1", None))
    await asyncio.sleep(0)

    assert fake.asked(SEGMENTS) == ["c1"]
    assert fake.asked(INVENTORY) == [PROFILE_ONLY]
    assert not field_task.done()

    # the promotion engine answering first does not change the order: loyalty first
    fake.answer(INVENTORY, PROFILE_ONLY, _inventory((7, "VIP")))
    fake.answer(SEGMENTS, "c1", [SegmentMembership(segment_id="s1", name="Gold")])
    found = await field_task

    assert [(type(s), s.id, s.source) for s in found] == [  # type: ignore[attr-defined]
        (LoyaltySegment, "s1", SegmentSource.LOYALTY),
        (Audience, "7", SegmentSource.PROMOTIONS),
    ]


async def test_reading_both_systems_creates_no_task() -> None:
    fake = _Context()
    fake.loaders.by_read[SEGMENTS].preset["c1"] = []
    fake.loaders.by_read[INVENTORY].preset[PROFILE_ONLY] = _inventory((1, "All"))
    loop = asyncio.get_running_loop()
    made: list[object] = []
    factory = loop.get_task_factory()

    def counting(loop: asyncio.AbstractEventLoop, coro: Any, **kwargs: Any) -> Any:
        made.append(coro)
        return asyncio.Task(coro, loop=loop, **kwargs)

    loop.set_task_factory(counting)
    try:
        found = await customer_segments(_ctx(fake), "c1", None)
    finally:
        loop.set_task_factory(factory)

    assert [s.id for s in found] == ["1"]  # type: ignore[attr-defined]
    assert made == []


async def test_a_failed_system_is_one_trailing_entry_raising_its_error() -> None:
    fake = _Context()
    field_task = asyncio.ensure_future(customer_segments(_ctx(fake), "c1", None))
    await asyncio.sleep(0)
    failure = RuntimeError("tallymarks down")
    fake.answer(SEGMENTS, "c1", failure)
    fake.answer(INVENTORY, PROFILE_ONLY, _inventory((7, "VIP"), (8, "New")))

    found = await field_task

    assert [s.id for s in found[:2]] == ["7", "8"]  # type: ignore[attr-defined]
    with pytest.raises(RuntimeError) as raised:
        await found[2]  # type: ignore[misc]
    assert raised.value is failure


async def test_only_the_asked_sources_are_read() -> None:
    fake = _Context()
    field_task = asyncio.ensure_future(
        customer_segments(_ctx(fake), "c1", [SegmentSource.PROMOTIONS])
    )
    await asyncio.sleep(0)
    fake.answer(INVENTORY, PROFILE_ONLY, None)  # Talon.One has no profile for them

    assert await field_task == []
    assert fake.asked(SEGMENTS) == []
    assert await customer_segments(_ctx(_Context()), "c1", []) == []


async def test_cancelled_before_the_second_system_leaves_nothing_unawaited() -> None:
    fake = _Context()
    field_task = asyncio.ensure_future(customer_segments(_ctx(fake), "c1", None))
    await asyncio.sleep(0)

    field_task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await field_task
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        del field_task
        gc.collect()

    assert [str(w.message) for w in caught if "never awaited" in str(w.message)] == []

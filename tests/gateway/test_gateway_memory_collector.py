"""The startup heap is frozen out of the garbage collector's reach once the app has started
(gateway/memory/collector.py), in every process that serves it (gateway/serving.py)."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator
from typing import Any

import pytest
from starlette.types import Message, Receive, Scope, Send

from gateway.memory import collector
from gateway.memory.collector import FreezeAfterStartup, freeze_startup_heap
from gateway.serving import ServingSettings, guarded


@pytest.fixture(autouse=True)
def restored_collector() -> Iterator[None]:
    """Each test starts unfrozen at CPython's thresholds and leaves the process so."""
    before = gc.get_threshold()
    gc.unfreeze()
    yield
    gc.unfreeze()
    gc.set_threshold(*before)


class _Cycle:
    def __init__(self) -> None:
        self.me = self


def test_freezing_collects_startup_garbage_first_and_freezes_the_rest() -> None:
    kept = _Cycle()
    garbage = _Cycle()
    gone = weakref.ref(garbage)
    del garbage

    frozen = freeze_startup_heap()

    assert gone() is None  # collected, not frozen for the process's life
    assert frozen == gc.get_freeze_count() > 0
    assert gc.is_tracked(kept)
    assert not any(o is kept for o in gc.get_objects())  # frozen: no collection walks it


def test_a_collection_walks_only_what_came_after_the_freeze() -> None:
    freeze_startup_heap()
    later = _Cycle()
    walked = gc.get_objects()
    assert any(o is later for o in walked)
    assert len(walked) < gc.get_freeze_count()


def test_cpythons_thresholds_are_kept() -> None:
    """Each request's cycles are freed by the young collections it triggers, not by one
    request in many (gateway/memory/collector.py says why)."""
    gc.set_threshold(700, 10, 10)
    freeze_startup_heap()
    assert gc.get_threshold() == (700, 10, 10)


class _LifespanApp:
    """An ASGI app that starts, answers HTTP with 204 and records the freeze count it saw."""

    def __init__(self) -> None:
        self.seen_at_http: int | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        self.seen_at_http = gc.get_freeze_count()
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})


async def _lifespan(app: Any) -> list[tuple[str, int]]:
    """Runs startup and shutdown; the messages the server got, each with the freeze count
    at the moment it got it."""
    incoming = iter([{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}])
    got: list[tuple[str, int]] = []

    async def receive() -> Message:
        return next(incoming)

    async def send(message: Message) -> None:
        got.append((message["type"], gc.get_freeze_count()))

    await app({"type": "lifespan", "asgi": {"version": "3.0"}}, receive, send)
    return got


async def _http(app: Any) -> list[Message]:
    sent: list[Message] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "GET", "path": "/", "headers": [], "query_string": b""}
    await app(scope, receive, send)
    return sent


async def test_the_heap_is_frozen_when_the_app_reports_its_startup_complete() -> None:
    got = await _lifespan(FreezeAfterStartup(_LifespanApp()))
    (startup, frozen_at_startup), (shutdown, _) = got
    assert (startup, shutdown) == ("lifespan.startup.complete", "lifespan.shutdown.complete")
    assert frozen_at_startup > 0  # frozen before the server hears it may serve


async def test_requests_pass_straight_through_and_never_freeze(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[object] = []
    monkeypatch.setattr(collector, "freeze_startup_heap", lambda: calls.append(1))
    app = _LifespanApp()
    sent = await _http(FreezeAfterStartup(app))
    assert [m["type"] for m in sent] == ["http.response.start", "http.response.body"]
    assert sent[0]["status"] == 204
    assert calls == []
    assert app.seen_at_http == 0


async def test_every_served_app_freezes_after_its_startup(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``guarded`` wraps the app of the single process and of each worker (the gateway's and
    the demo's factories alike), so each process freezes its own heap once."""
    calls: list[object] = []
    monkeypatch.setattr(collector, "freeze_startup_heap", lambda: calls.append(1))
    app = guarded(_LifespanApp(), ServingSettings())
    await _lifespan(app)
    assert len(calls) == 1
    await _http(app)
    assert len(calls) == 1

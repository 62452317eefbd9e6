"""What every Talon.One route needs: the store, the current options and the busy keys."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from fastapi import Request

from sandbox.talon.locks import BusyKeys
from sandbox.talon.options import TalonSandboxOptions
from sandbox.talon.store import AppData, Store


@dataclass
class TalonContext:
    store: Store
    options: TalonSandboxOptions
    busy: BusyKeys = field(default_factory=BusyKeys)

    @asynccontextmanager
    async def locked(self, app: AppData, kind: str, *ids: str) -> AsyncIterator[None]:
        """Hold the session/profile lock(s) of one call (409 when already held)."""
        keys = [(app.id, kind, i) for i in ids]
        async with self.busy.hold(
            keys,
            delay_s=self.options.processing_delay_ms / 1000.0,
            conflict=self.options.conflict_on_overlap,
        ):
            yield


def get_context(request: Request) -> TalonContext:
    ctx: TalonContext = request.app.state.talon
    return ctx


def get_app_data(request: Request) -> AppData:
    """The Application the request's API key belongs to (set by the route's auth step)."""
    app: AppData = request.state.talon_app
    return app

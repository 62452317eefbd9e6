from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.clients.talon.fakes import FakeTalon, Sleeps, make_client
from vendors.talon import TalonClient


@pytest.fixture
def fake() -> FakeTalon:
    return FakeTalon()


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
async def talon(fake: FakeTalon, sleeps: Sleeps) -> AsyncIterator[TalonClient]:
    client, http = make_client(fake, sleep=sleeps)
    yield client
    await http.client.aclose()

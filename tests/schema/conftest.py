from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.schema.gateway_harness import Harness, harness


@pytest.fixture
async def gw() -> AsyncIterator[Harness]:
    async with harness() as h:  # patient vendor attempts (gateway_harness.patient_settings)
        yield h

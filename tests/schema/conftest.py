from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from gateway.settings import GatewaySettings, VendorHttpConfig
from tests.schema.gateway_harness import VENDORS, Harness, harness

#: The sandboxes run in the test's own event loop, so on a loaded machine a vendor call can
#: wait behind everything else the loop does and outlast the 4 s production attempt
#: timeout without any vendor being slow. Tests about deadlines build their own settings
#: (tests/schema/test_schema_deadlines.py uses the defaults on purpose).
PATIENT = VendorHttpConfig(attempt_timeout=15, call_timeout=18)


@pytest.fixture
async def gw() -> AsyncIterator[Harness]:
    async with harness(GatewaySettings(http=dict.fromkeys(VENDORS, PATIENT))) as h:
        yield h

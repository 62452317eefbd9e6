"""The client's ``get_loyalty_transactions`` against the Talon.One sandbox, in process."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.clients.talon.sandbox_support import Sandbox, in_process, new_sandbox
from vendors.errors import VendorInvalidInputError, VendorNotFoundError
from vendors.path_segments import PathSegmentError

ROUTE = "/v1/loyalty_programs/{loyaltyProgramId}/profile/{integrationId}/transactions"


@pytest.fixture
async def sandbox() -> AsyncIterator[Sandbox]:
    wired = in_process(new_sandbox())
    yield wired
    await wired.aclose()


async def _with_ledger(sandbox: Sandbox) -> tuple[str, int]:
    for c in sandbox.tenant.customers:
        found = await sandbox.client.get_customer_inventory(c.customer_id, loyalty=True)
        for program in (found.loyalty.programs if found.loyalty else {}).values():
            if program.ledger.current_balance > 0:
                return c.customer_id, program.id
    raise AssertionError("no demo customer has promotion points")


async def test_rows_parse_and_the_page_size_is_sent(sandbox: Sandbox) -> None:
    cid, program = await _with_ledger(sandbox)

    one = await sandbox.client.get_loyalty_transactions(program, cid, page_size=1)
    every = await sandbox.client.get_loyalty_transactions(program, cid, page_size=1000)

    assert one.data == every.data[:1]
    assert {r.type for r in every.data} <= {"addition", "subtraction"}
    assert await sandbox.calls("GET", ROUTE) == 2


async def test_an_unknown_program_is_not_found(sandbox: Sandbox) -> None:
    cid, _ = await _with_ledger(sandbox)

    with pytest.raises(VendorNotFoundError):
        await sandbox.client.get_loyalty_transactions(999_999, cid, page_size=10)


@pytest.mark.parametrize(("page_size", "skip"), [(0, 0), (1001, 0), (10, -1)])
async def test_out_of_range_paging_is_refused_without_a_call(
    sandbox: Sandbox, page_size: int, skip: int
) -> None:
    with pytest.raises(VendorInvalidInputError):
        await sandbox.client.get_loyalty_transactions(1, "c1", page_size=page_size, skip=skip)
    assert await sandbox.calls("GET", ROUTE) == 0


@pytest.mark.parametrize("integration_id", [".", "..", "a/b", "%2F"])
async def test_an_id_that_is_a_path_never_leaves(sandbox: Sandbox, integration_id: str) -> None:
    with pytest.raises(PathSegmentError):
        await sandbox.client.get_loyalty_transactions(1, integration_id, page_size=10)
    assert await sandbox.calls("GET", ROUTE) == 0

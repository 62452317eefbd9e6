"""``getLoyaltyTransactions``: a profile's ledger rows in one program, newest first."""

from __future__ import annotations

from typing import Any

import httpx

from sandbox.demo_world import DemoTenant
from tests.sandbox.talon.helpers import inventory, not_found, status_400


async def _with_points(client: httpx.AsyncClient, tenant: DemoTenant) -> tuple[str, int, float]:
    """A demo customer who earned points: (id, program id, every point ever booked, i.e.
    current + pending + expired; spending is booked as a subtraction)."""
    for c in tenant.customers:
        programs = (await inventory(client, c.customer_id, loyalty=True))["loyalty"]["programs"]
        for pid, program in programs.items():
            ledger = program["ledger"]
            booked = ledger["currentBalance"] + ledger["pendingBalance"] + ledger["expiredBalance"]
            if booked > 0:
                return c.customer_id, int(pid), booked
    raise AssertionError("no demo customer has points")


def _log(client: httpx.AsyncClient, program: int, pid: str, **params: Any) -> Any:
    path = f"/v1/loyalty_programs/{program}/profile/{pid}/transactions"
    return client.get(path, params=params)


async def test_rows_newest_first_and_they_add_up_to_the_balance(
    client: httpx.AsyncClient, tenant: DemoTenant
) -> None:
    customer, program, booked = await _with_points(client, tenant)

    response = await _log(client, program, customer)

    assert response.status_code == 200
    body = response.json()
    assert body["hasMore"] is False
    rows = body["data"]
    assert [r["created"] for r in rows] == sorted((r["created"] for r in rows), reverse=True)
    signed = sum(r["amount"] if r["type"] == "addition" else -r["amount"] for r in rows)
    assert signed == booked
    assert all(r["amount"] >= 0 for r in rows)
    assert set(rows[0]) >= {
        "id", "created", "programId", "customerSessionId", "type", "name",
        "startDate", "expiryDate", "subledgerId", "amount",
    }  # fmt: skip
    assert all(r["programId"] == program for r in rows)


async def test_page_size_and_skip_page_through(
    client: httpx.AsyncClient, tenant: DemoTenant
) -> None:
    customer, program, _ = await _with_points(client, tenant)
    everything = (await _log(client, program, customer)).json()["data"]

    first = (await _log(client, program, customer, pageSize=1)).json()
    rest = (await _log(client, program, customer, pageSize=1000, skip=1)).json()

    assert first == {"hasMore": len(everything) > 1, "data": everything[:1]}
    assert rest["data"] == everything[1:]


async def test_unknown_profile_and_program_are_404(
    client: httpx.AsyncClient, tenant: DemoTenant
) -> None:
    customer, program, _ = await _with_points(client, tenant)

    no_profile = await _log(client, program, "nobody-here")
    no_program = await _log(client, 999_999, customer)

    assert (no_profile.status_code, no_profile.json()) == (404, not_found("customerProfile"))
    assert (no_program.status_code, no_program.json()) == (404, not_found("loyaltyProgram"))


async def test_page_size_out_of_range_is_400(client: httpx.AsyncClient, tenant: DemoTenant) -> None:
    customer, program, _ = await _with_points(client, tenant)

    too_big = await _log(client, program, customer, pageSize=1001)
    zero = await _log(client, program, customer, pageSize=0)

    assert (too_big.status_code, too_big.json()) == (
        400,
        status_400("Invalid value", parameter="pageSize"),
    )
    assert zero.status_code == 400

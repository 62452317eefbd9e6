"""The generic field resolver (``resolvers.field_reads.field_read``): a field over a declared
read is keyed by the declaration's own key function, refuses what that function refuses as
BAD_USER_INPUT before any load, and loads through the request's loader for the read."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

import pytest

from gateway.errors import BadUserInputError
from resolvers.field_reads import field_read
from tests.schema.gateway_harness import Harness
from vendors.reads import VendorRead
from vendors.tallymarks import reads as tallymarks
from vendors.talon import reads as talon

LEDGER = "GET /v1/loyalty_programs/{loyaltyProgramId}/profile/{integrationId}/transactions"
FIELD = "Customer.promotionLoyaltyTransactions"


class _Loader:
    def __init__(self, read: VendorRead[Any, Any], loads: list[tuple[object, object]]) -> None:
        self.read = read
        self.loads = loads

    def load(self, key: object) -> asyncio.Future[object]:
        self.loads.append((self.read, key))
        done: asyncio.Future[object] = asyncio.get_running_loop().create_future()
        done.set_result(("value of", key))
        return done


def _context(loads: list[tuple[object, object]]) -> Any:
    return SimpleNamespace(loaders=SimpleNamespace(read=lambda read: _Loader(read, loads)))


async def test_the_field_is_keyed_as_the_declaration_keys_it() -> None:
    loads: list[tuple[object, object]] = []
    ctx = _context(loads)

    ledger: Any = await field_read(ctx, talon.LOYALTY_TRANSACTIONS, FIELD, "c1", {"programId": 3})
    coupons: Any = await field_read(ctx, talon.INVENTORY, "Customer.coupons", "c1")

    assert ledger == ("value of", ("c1", 3, talon.LEDGER_DEFAULT_FIRST))
    assert coupons == ("value of", ("c1", frozenset({"coupons"})))
    # the key the look-ahead starts with the same arguments: one call for both
    assert talon.LOYALTY_TRANSACTIONS.fields[FIELD]("c1", {"programId": 3}) == loads[0][1]
    assert [read for read, _ in loads] == [talon.LOYALTY_TRANSACTIONS, talon.INVENTORY]


@pytest.mark.parametrize(
    ("args", "argument", "message"),
    [
        ({"programId": 0}, "programId", "Not a loyalty program id."),
        ({"programId": 3, "first": 0}, "first", "`first` must be between 1 and 100."),
        ({"programId": 3, "first": 101}, "first", "`first` must be between 1 and 100."),
    ],
)
async def test_a_refused_argument_is_bad_user_input_before_any_load(
    args: dict[str, int], argument: str, message: str
) -> None:
    loads: list[tuple[object, object]] = []

    with pytest.raises(BadUserInputError) as refused:
        field_read(_context(loads), talon.LOYALTY_TRANSACTIONS, FIELD, "c1", args)

    assert refused.value.code == "BAD_USER_INPUT"
    assert refused.value.message == message
    assert refused.value.extensions["argument"] == argument
    assert loads == []
    # the look-ahead does not start a read the field will refuse
    assert talon.LOYALTY_TRANSACTIONS.fields[FIELD]("c1", args) is None


@pytest.mark.parametrize(
    ("read", "field"),
    [
        (tallymarks.BALANCE, "Customer.loyaltySegments"),  # another read's field
        (tallymarks.TRANSACTIONS, "Customer.transactions"),  # keyed by a cursor
    ],
)
def test_a_field_the_declaration_does_not_key_is_a_programming_error(
    read: VendorRead[Any, Any], field: str
) -> None:
    loads: list[tuple[object, object]] = []

    with pytest.raises(LookupError, match=field):
        field_read(_context(loads), read, field, "c1")
    assert loads == []


async def test_literal_bad_arguments_reach_no_vendor_through_the_gateway(gw: Harness) -> None:
    cid = gw.acme.customers[0].customer_id
    gw.reset_calls()

    body = await gw.query(
        "query($id: ID!) { customer(id: $id) { customerId "
        "promotionLoyaltyTransactions(programId: 3, first: 500) { id } } }",
        {"id": cid},
    )

    assert body["data"]["customer"] == {"customerId": cid, "promotionLoyaltyTransactions": None}
    (error,) = body["errors"]
    assert error["path"] == ["customer", "promotionLoyaltyTransactions"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["argument"] == "first"
    assert gw.calls("talon", LEDGER) == 0

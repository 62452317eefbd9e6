"""What each field costs: the upstream reads or writes it makes, per parent object.

Keyed by ``Type.field``. A tuple names the upstream reads the field needs: fields of one
parent object that need the same read (with the same arguments) share it, because the
per-request loaders make it once, so a customer's name and e-mail cost one Tallymarks read
between them, and all their promotion fields one Talon.One inventory call. A number is a
count of calls of the field's own (a write is never shared).

The reads' part comes from their declarations (``VendorRead.fields`` and ``.cost``, see
vendors.read_catalog); only writes are priced here.

A field not listed costs one call when its resolver is async (it may do I/O) and nothing
when it only reads its parent's data (``PageInfo.hasNextPage``, ``Coupon.value`` …).

A shared read that returns fewer items a call than a page may hold (:data:`PAGED_READS`)
costs as many calls as the field's ``first`` needs: ``supportCustomers(first: 100)`` makes
two index calls (99 + 1), not one.
"""

from __future__ import annotations

from collections.abc import Mapping

from vendors.read_catalog import paged_reads, read_costs

__all__ = ["FIELD_COSTS", "PAGED_READS", "UNLISTED_ASYNC_COST", "FieldCost", "paged_calls"]

#: shared reads by name, or a count of the field's own calls
FieldCost = tuple[str, ...] | int

#: an async field nobody priced: it may call a vendor once
UNLISTED_ASYNC_COST = 1

FIELD_COSTS: Mapping[str, FieldCost] = {
    # reads: each field names the shared reads it makes, from the reads' declarations
    **read_costs(),
    # writes that reach every vendor
    "Mutation.createCustomer": 3,
    "Mutation.updateCustomer": 3,
    "Mutation.forgetCustomer": 3,
}

#: shared reads (by cost name) whose one call returns at most this many items of a page, from
#: their declarations (``VendorRead.items_per_call``): Omnidesk's index, 99 where a page holds 100
PAGED_READS: Mapping[str, int] = paged_reads()


def paged_calls(per_call: int, first: int) -> int:
    """The calls a page of ``first`` items takes when one call returns at most ``per_call``:
    a page after a cursor is read from the cursor's own position, so it takes no more than
    one from the start."""
    return max(-(-first // per_call), 1)

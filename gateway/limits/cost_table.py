"""What each field costs: the upstream reads or writes it makes, per parent object.

Keyed by ``Type.field``. A tuple names the upstream reads the field needs: fields of one
parent object that need the same read (with the same arguments) share it, because the
per-request loaders make it once, so a customer's name and e-mail cost one Tallymarks read
between them, and all their promotion fields one Talon.One inventory call. A number is a
count of calls of the field's own (a write is never shared).

The reads' part comes from their declarations (``VendorRead.fields`` and ``.cost``, see
gateway.vendors.read_catalog); only writes are priced here.

A field not listed costs one call when its resolver is async (it may do I/O) and nothing
when it only reads its parent's data (``PageInfo.hasNextPage``, ``Coupon.value`` …).
"""

from __future__ import annotations

from collections.abc import Mapping

from gateway.vendors.read_catalog import read_costs

__all__ = ["FIELD_COSTS", "UNLISTED_ASYNC_COST", "FieldCost"]

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

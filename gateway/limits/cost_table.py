"""What each field costs: the upstream reads or writes it makes, per parent object.

Keyed by ``Type.field``. A tuple names the upstream reads the field needs: fields of one
parent object that need the same read (with the same arguments) share it, because the
per-request loaders make it once, so a customer's name and e-mail cost one Tallymarks read
between them, and all their promotion fields one Talon.One inventory call. A number is a
count of calls of the field's own (a write is never shared).

A field not listed costs one call when its resolver is async (it may do I/O) and nothing
when it only reads its parent's data (``PageInfo.hasNextPage``, ``Coupon.value`` …).
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["FIELD_COSTS", "UNLISTED_ASYNC_COST", "FieldCost"]

#: shared reads by name, or a count of the field's own calls
FieldCost = tuple[str, ...] | int

#: an async field nobody priced: it may call a vendor once
UNLISTED_ASYNC_COST = 1

_PROFILE = ("tallymarks.customer",)
_INVENTORY = ("talon.inventory",)
_SUPPORT_CUSTOMER = ("omnidesk.customer",)

FIELD_COSTS: Mapping[str, FieldCost] = {
    # roots: one read each
    "Query.node": _PROFILE,
    "Query.customer": _PROFILE,
    "Query.customers": ("tallymarks.search",),
    "Query.customerByEmail": ("tallymarks.search",),
    "Query.customerByExternalReference": ("tallymarks.search",),
    "Query.customersByChannel": ("omnidesk.channel",),
    "Query.customerBySupportId": _SUPPORT_CUSTOMER,
    "Query.coupon": ("talon.couponHolders",),
    "Query.cartSession": ("talon.session",),
    # a customer: one read per vendor resource, shared by the fields it serves
    "Customer.firstName": _PROFILE,
    "Customer.lastName": _PROFILE,
    "Customer.displayName": _PROFILE,
    "Customer.email": _PROFILE,
    "Customer.createdAt": _PROFILE,
    "Customer.loyaltyProfile": _PROFILE,
    "Customer.pointsBalance": ("tallymarks.balance",),
    "Customer.loyaltySegments": ("tallymarks.segments",),
    "Customer.transactions": ("tallymarks.transactions",),
    "Customer.events": ("tallymarks.events",),
    "Customer.supportProfile": _SUPPORT_CUSTOMER,
    "Customer.timeline": ("omnidesk.customer", "omnidesk.timeline"),
    "Customer.promotionProfile": _INVENTORY,
    "Customer.audiences": _INVENTORY,
    "Customer.coupons": _INVENTORY,
    "Customer.referrals": _INVENTORY,
    "Customer.promotionLoyalty": _INVENTORY,
    "Customer.giveaways": _INVENTORY,
    "Customer.promotionEvents": _INVENTORY,
    "Customer.segments": ("tallymarks.segments", "talon.inventory"),
    "Customer.activity": ("tallymarks.events", "talon.inventory"),
    "TransactionConnection.balance": ("tallymarks.balance",),
    "Coupon.reservedBy": ("talon.couponHolders",),
    "CartSession.effects": ("talon.session",),
    # writes that reach every vendor
    "Mutation.createCustomer": 3,
    "Mutation.updateCustomer": 3,
    "Mutation.forgetCustomer": 3,
}

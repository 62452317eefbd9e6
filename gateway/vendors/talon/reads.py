"""Talon.One reads, each declared once (see :class:`gateway.vendors.reads.VendorRead`).

The customer inventory serves many fields (profile, audiences, coupons, referrals, loyalty,
giveaways), each behind a query flag: its key names the parts a field needs, and the
inventory loader merges a batch's keys into one call per customer.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any, Literal, get_args

from gateway.vendors.reads import (
    ALL,
    TagKind,
    TagRef,
    VendorRead,
    keyed_as,
    none_when_missing,
    not_prefetched,
    tagged,
)
from gateway.vendors.talon.models import (
    CustomerInventory,
    CustomerProfile,
    IntegrationCustomerSessionResponse,
)
from gateway.vendors.talon.models.loyalty import LoyaltyLedgerPage

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Iterable, Mapping

    from gateway.vendors.tenant_clients import TenantClients

__all__ = [
    "ALL_PARTS",
    "COUPON_HOLDERS",
    "FEED_INVENTORY_PARTS",
    "INVENTORY",
    "LOYALTY_TRANSACTIONS",
    "READS",
    "SESSION",
    "InventoryKey",
    "InventoryPart",
    "LedgerKey",
    "audience_members_tag",
    "audience_tag",
    "audiences_tag",
    "coupon_tag",
    "inventory_tag",
    "session_tag",
]

VENDOR = "talon"
#: a read of this vendor (each declaration states the rest)
_read = partial(VendorRead, VENDOR)

#: the inventory's parts, each switched on by the query flag of the same name
InventoryPart = Literal["profile", "coupons", "referrals", "loyalty", "giveaways"]
ALL_PARTS: frozenset[InventoryPart] = frozenset(get_args(InventoryPart))
#: the parts the activity feed's promotion entries come from
FEED_INVENTORY_PARTS: frozenset[InventoryPart] = frozenset({"coupons", "referrals", "giveaways"})
#: (canonical customer id, the parts a field needs)
InventoryKey = tuple[str, frozenset[InventoryPart]]
#: (canonical customer id, loyalty program id, the newest rows wanted)
LedgerKey = tuple[str, int, int]
#: ``Customer.promotionLoyaltyTransactions``' default ``first``
LEDGER_DEFAULT_FIRST = 30
Session = IntegrationCustomerSessionResponse


#: by the customer's canonical id
inventory_tag = TagKind(VENDOR, "inventory")
#: by the coupon's code
coupon_tag = TagKind(VENDOR, "coupon")
#: by the customer session's integration id
session_tag = TagKind(VENDOR, "session")
#: one audience's own fields (name, description), by the audience's id
audience_tag = TagKind(VENDOR, "audience")
#: reads that depend on who is in an audience or on its members' attributes
audience_members_tag = TagKind(VENDOR, "audience-members")


def audiences_tag() -> TagRef:
    """Lists over the tenant's audiences."""
    return TagRef(VENDOR, "audiences", ALL)


def _inventory(clients: TenantClients, key: InventoryKey) -> Awaitable[CustomerInventory]:
    customer_id, parts = key
    return clients.talon.get_customer_inventory(
        customer_id,
        profile="profile" in parts,
        coupons="coupons" in parts,
        referrals="referrals" in parts,
        loyalty="loyalty" in parts,
        giveaways="giveaways" in parts,
    )


def _member_tags(found: CustomerInventory | None) -> Iterable[TagRef]:
    """An audience write (delete, empty, set members' attributes) reaches each member's
    cached profile."""
    profile = found.profile if found else None
    memberships = (profile.audience_memberships or []) if profile else []
    return [audience_members_tag(m.id) for m in memberships]


def _part(part: InventoryPart) -> Callable[[str, Mapping[str, Any]], InventoryKey]:
    return lambda cid, args: (cid, frozenset({part}))


async def _holders(clients: TenantClients, value: str) -> list[CustomerProfile] | None:
    return (await clients.talon.get_reserved_customers(value)).data


INVENTORY: VendorRead[InventoryKey, CustomerInventory | None] = _read(
    operation="getCustomerInventory",
    call=_inventory,
    cache_args=lambda key: {"integrationId": key[0], "parts": sorted(key[1])},
    not_found=none_when_missing,
    kind="inventory",
    ttl=30,
    tags=lambda key: (inventory_tag(key[0]),),
    value_tags=_member_tags,
    cost="talon.inventory",
    fields={
        "Customer.promotionProfile": _part("profile"),
        "Customer.audiences": _part("profile"),
        "Customer.coupons": _part("coupons"),
        "Customer.referrals": _part("referrals"),
        "Customer.promotionLoyalty": _part("loyalty"),
        "Customer.giveaways": _part("giveaways"),
        "Customer.promotionEvents": lambda cid, args: (cid, FEED_INVENTORY_PARTS),
        "Customer.segments": lambda cid, args: (
            (cid, frozenset({"profile"})) if args.get("sources") is None else None
        ),
        "Customer.activity": not_prefetched,  # with its event pages
    },
)

COUPON_HOLDERS: VendorRead[str, list[CustomerProfile] | None] = _read(
    operation="getReservedCustomers",
    call=_holders,
    cache_args=keyed_as("couponValue"),
    not_found=none_when_missing,  # no such coupon
    kind="coupon_holders",
    ttl=30,
    tags=tagged(coupon_tag),
    cost="talon.couponHolders",
    fields={"Query.coupon": not_prefetched, "Coupon.reservedBy": not_prefetched},
)

SESSION: VendorRead[str, Session | None] = _read(
    operation="getCustomerSession",
    call=lambda clients, session_id: clients.talon.get_customer_session(session_id),
    cache_args=keyed_as("customerSessionId"),
    not_found=none_when_missing,
    kind="session",
    ttl=0,  # changes with every cart update: never cached, shared within a request
    tags=tagged(session_tag),
    cost="talon.session",
    fields={"Query.cartSession": not_prefetched, "CartSession.effects": not_prefetched},
)


def _ledger_key(customer_id: str, args: Mapping[str, Any]) -> LedgerKey | None:
    program, first = args.get("programId"), args.get("first", LEDGER_DEFAULT_FIRST)
    if isinstance(program, int) and isinstance(first, int):
        return (customer_id, program, first)
    return None  # the resolver refuses what is not a program id and a page size


LOYALTY_TRANSACTIONS: VendorRead[LedgerKey, LoyaltyLedgerPage | None] = _read(
    operation="getLoyaltyTransactions",
    call=lambda clients, key: clients.talon.get_loyalty_transactions(
        key[1], key[0], page_size=key[2]
    ),
    cache_args=lambda key: {"integrationId": key[0], "loyaltyProgramId": key[1], "n": key[2]},
    not_found=none_when_missing,  # no such profile or program
    kind="loyalty_ledger",
    ttl=30,
    # the ledger moves with what moves the inventory's loyalty part (closed carts, events)
    tags=lambda key: (inventory_tag(key[0]),),
    cost="talon.loyaltyLedger",
    fields={"Customer.promotionLoyaltyTransactions": _ledger_key},
)

READS = (INVENTORY, COUPON_HOLDERS, SESSION, LOYALTY_TRANSACTIONS)

"""Talon.One reads, each declared once (see :class:`vendors.reads.VendorRead`).

The customer inventory serves many fields (profile, audiences, coupons, referrals, loyalty,
giveaways), each behind a query flag: its key names the parts a field needs, and the
inventory loader merges a batch's keys into one call per customer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal, get_args

from vendors.page_size import MAX_PAGE_SIZE
from vendors.reads import (
    CheckedKey,
    RefusedArgumentError,
    VendorRead,
    VendorReads,
    loaded_when_run,
    none_when_missing,
    not_prefetched,
)
from vendors.talon.models import (
    CustomerInventory,
    CustomerProfile,
    IntegrationCustomerSessionResponse,
)
from vendors.talon.models.loyalty import LoyaltyLedgerPage

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Iterable, Mapping

    from vendors.reads import TagRef
    from vendors.tenant_clients import TenantClients

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
_talon = VendorReads(VENDOR)

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
inventory_tag = _talon.tag("inventory")
#: by the coupon's code
coupon_tag = _talon.tag("coupon")
#: by the customer session's integration id
session_tag = _talon.tag("session")
#: one audience's own fields (name, description), by the audience's id
audience_tag = _talon.tag("audience")
#: reads that depend on who is in an audience or on its members' attributes
audience_members_tag = _talon.tag("audience-members")
#: lists over the tenant's audiences
audiences_tag = _talon.tenant_wide("audiences")


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
    """A field that needs one part: its part set is built once, not per field resolved."""
    only = frozenset({part})
    return lambda cid, args: (cid, only)


async def _holders(clients: TenantClients, value: str) -> list[CustomerProfile] | None:
    return (await clients.talon.get_reserved_customers(value)).data


INVENTORY: VendorRead[InventoryKey, CustomerInventory | None] = VendorRead(
    VENDOR,
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

COUPON_HOLDERS: VendorRead[str, list[CustomerProfile] | None] = _talon.keyed(
    "getReservedCustomers",
    _holders,
    by="couponValue",
    stored_under=coupon_tag,
    not_found=none_when_missing,  # no such coupon
    kind="coupon_holders",
    cost="talon.couponHolders",
    ttl=30,
    fields=loaded_when_run("Query.coupon", "Coupon.reservedBy"),
)

SESSION: VendorRead[str, Session | None] = _talon.keyed(
    "getCustomerSession",
    lambda clients, session_id: clients.talon.get_customer_session(session_id),
    by="customerSessionId",
    stored_under=session_tag,
    not_found=none_when_missing,
    ttl=0,  # changes with every cart update: never cached, shared within a request
    fields=loaded_when_run("Query.cartSession", "CartSession.effects"),
)


def _ledger_key(customer_id: str, args: Mapping[str, Any]) -> LedgerKey:
    """``(customer, programId, first)``: a program id is positive, a page 1 to 100 rows
    (refused here, so neither the field nor the look-ahead asks Talon.One)."""
    program, first = args.get("programId"), args.get("first", LEDGER_DEFAULT_FIRST)
    if not isinstance(program, int) or isinstance(program, bool) or program < 1:
        raise RefusedArgumentError("programId", "Not a loyalty program id.")
    if not isinstance(first, int) or isinstance(first, bool) or not 1 <= first <= MAX_PAGE_SIZE:
        raise RefusedArgumentError("first", f"`first` must be between 1 and {MAX_PAGE_SIZE}.")
    return (customer_id, program, first)


LOYALTY_TRANSACTIONS: VendorRead[LedgerKey, LoyaltyLedgerPage | None] = VendorRead(
    VENDOR,
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
    fields={"Customer.promotionLoyaltyTransactions": CheckedKey(_ledger_key)},
)

READS = (INVENTORY, COUPON_HOLDERS, SESSION, LOYALTY_TRANSACTIONS)

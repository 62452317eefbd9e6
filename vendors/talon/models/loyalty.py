"""Loyalty balances, giveaways, and the customer inventory that bundles them."""

from __future__ import annotations

from vendors.talon.models._base import TalonModel, Timestamp
from vendors.talon.models.coupons import InventoryCoupon, InventoryReferral
from vendors.talon.models.profiles import CustomerProfile

__all__ = [
    "CustomerInventory",
    "Giveaway",
    "LedgerInfo",
    "Loyalty",
    "LoyaltyLedgerPage",
    "LoyaltyLedgerTransaction",
    "LoyaltyProgramLedgers",
    "Tier",
]


class Tier(TalonModel):
    id: int
    name: str


class LedgerInfo(TalonModel):
    current_balance: float
    pending_balance: float
    expired_balance: float
    spent_balance: float
    #: includes points added or deducted in open sessions
    tentative_current_balance: float
    current_tier: Tier | None = None
    points_to_next_tier: float | None = None


class LoyaltyProgramLedgers(TalonModel):
    id: int
    title: str
    name: str
    ledger: LedgerInfo


class Loyalty(TalonModel):
    #: program id (as text) → that program's ledgers
    programs: dict[str, LoyaltyProgramLedgers]


class Giveaway(TalonModel):
    id: int
    created: Timestamp
    code: str
    pool_id: int
    start_date: Timestamp | None = None
    end_date: Timestamp | None = None
    used: bool | None = None


class CustomerInventory(TalonModel):
    """Each key is present only when its query flag was true."""

    profile: CustomerProfile | None = None
    loyalty: Loyalty | None = None
    referrals: list[InventoryReferral] | None = None
    #: soft and hard reservations, and redeemed coupons
    coupons: list[InventoryCoupon] | None = None
    giveaways: list[Giveaway] | None = None


class LoyaltyLedgerTransaction(TalonModel):
    """One row of a profile's ledger in one program (``getLoyaltyTransactions``)."""

    id: int
    created: Timestamp
    customer_session_id: str
    #: ``addition`` | ``subtraction``
    type: str
    name: str
    #: ``immediate`` or an RFC 3339 timestamp
    start_date: str
    #: ``unlimited`` or an RFC 3339 timestamp
    expiry_date: str
    subledger_id: str
    amount: float


class LoyaltyLedgerPage(TalonModel):
    data: list[LoyaltyLedgerTransaction]

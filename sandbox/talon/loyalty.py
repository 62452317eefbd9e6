"""Loyalty balances of a profile: ``LedgerInfo`` from its transactions, with projection.

- ``currentBalance``: active points (started, not expired) minus points spent;
- ``pendingBalance``: points that activate later; ``expiredBalance``: points that expired;
- ``spentBalance``: points deducted (rolled-back deductions given back);
- ``tentativeCurrentBalance``: current plus what the profile's open sessions would add or
  deduct once they close (docs/vendors/talon.md §6.9, §5.6).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sandbox.talon.entities import LoyaltyProgram, LoyaltyTx, TentativePoints

MAX_PROJECTION_DAYS = 31


@dataclass
class Balances:
    current: float = 0.0
    pending: float = 0.0
    expired: float = 0.0
    spent: float = 0.0


def _num(value: float) -> float | int:
    """Points as JSON numbers: whole values as ints, others rounded to 2 decimals."""
    rounded = round(value, 2)
    return int(rounded) if rounded == int(rounded) else rounded


def balances(txs: Iterable[LoyaltyTx], now: datetime) -> Balances:
    b = Balances()
    for tx in txs:
        if tx.kind == "subtraction" or tx.kind == "rollback_subtraction":
            b.spent -= tx.amount
            b.current += tx.amount
        elif tx.start_date > now:
            b.pending += tx.amount
        elif tx.expiry_date is not None and tx.expiry_date <= now:
            b.expired += tx.amount
        else:
            b.current += tx.amount
    return b


def tentative_delta(points: Iterable[TentativePoints], now: datetime) -> float:
    return sum(p.amount for p in points if p.start_date is None or p.start_date <= now)


def _projection(
    txs: list[LoyaltyTx], current: float, now: datetime, end: datetime
) -> dict[str, Any]:
    day0 = now.replace(hour=0, minute=0, second=0, microsecond=0)
    items: list[dict[str, Any]] = []
    running = current
    total_exp = total_act = 0.0
    day = day0 + timedelta(days=1)
    while day <= end and len(items) < MAX_PROJECTION_DAYS:
        lo, hi = day - timedelta(days=1), day
        expiring = sum(
            tx.amount
            for tx in txs
            if tx.kind in ("addition", "rollback_addition")
            and tx.start_date <= lo
            and tx.expiry_date is not None
            and lo < tx.expiry_date <= hi
            and tx.expiry_date > now
        )
        activating = sum(
            tx.amount
            for tx in txs
            if tx.kind in ("addition", "rollback_addition")
            and now < tx.start_date
            and lo < tx.start_date <= hi
        )
        running = running - expiring + activating
        total_exp += expiring
        total_act += activating
        items.append(
            {
                "date": day.isoformat().replace("+00:00", "Z"),
                "expiringPoints": _num(expiring),
                "activatingPoints": _num(activating),
                "projectedBalance": _num(running),
            }
        )
        day += timedelta(days=1)
    return {
        "projections": items,
        "totalExpiringPoints": _num(total_exp),
        "totalActivatingPoints": _num(total_act),
    }


def ledger_info(
    program: LoyaltyProgram,
    txs: list[LoyaltyTx],
    tentative: list[TentativePoints],
    now: datetime,
    projection_end: datetime | None,
) -> dict[str, Any]:
    b = balances(txs, now)
    info: dict[str, Any] = {
        "currentBalance": _num(b.current),
        "pendingBalance": _num(b.pending),
        "expiredBalance": _num(b.expired),
        "spentBalance": _num(b.spent),
        "tentativeCurrentBalance": _num(b.current + tentative_delta(tentative, now)),
    }
    if program.tiers:
        reached = [t for t in program.tiers if b.current >= t[2]]
        if reached:
            tier = reached[-1]
            info["currentTier"] = {"id": tier[0], "name": tier[1]}
        higher = [t for t in program.tiers if b.current < t[2]]
        if higher:
            info["pointsToNextTier"] = _num(higher[0][2] - b.current)
    if projection_end is not None:
        info["projection"] = _projection(txs, b.current, now, projection_end)
    return info


def program_ledgers(
    program: LoyaltyProgram,
    txs: list[LoyaltyTx],
    tentative: list[TentativePoints],
    now: datetime,
    projection_end: datetime | None,
) -> dict[str, Any]:
    """``LoyaltyProgramLedgers`` of one program (main ledger plus its sub-ledgers)."""
    main_txs = [t for t in txs if t.subledger_id == ""]
    main_tent = [t for t in tentative if t.subledger_id == ""]
    result: dict[str, Any] = {
        "id": program.id,
        "title": program.title,
        "name": program.name,
        "ledger": ledger_info(program, main_txs, main_tent, now, projection_end),
    }
    subs = sorted({t.subledger_id for t in txs} | {t.subledger_id for t in tentative} - {""})
    subs = [s for s in subs if s]
    if subs:
        result["subLedgers"] = {
            s: ledger_info(
                program,
                [t for t in txs if t.subledger_id == s],
                [t for t in tentative if t.subledger_id == s],
                now,
                projection_end,
            )
            for s in subs
        }
    return result


def current_balance(
    txs: Iterable[LoyaltyTx], program_id: int, subledger: str, now: datetime
) -> float:
    return balances(
        (t for t in txs if t.program_id == program_id and t.subledger_id == subledger), now
    ).current

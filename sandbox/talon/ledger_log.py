"""``GET /v1/loyalty_programs/{id}/profile/{integrationId}/transactions``: one profile's
ledger in one program, newest first (docs/vendors/talon.md, "Loyalty transaction log")."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sandbox.talon.entities import LoyaltyTx
from sandbox.talon.errors import bad_request, not_found
from sandbox.talon.store import Tx
from sandbox.talon.wire import ts

#: the documented page size bound; also the default when ``pageSize`` is left out
MAX_PAGE_SIZE = 1000


def loyalty_transactions(
    tx: Tx,
    program_id: int,
    integration_id: str,
    *,
    start: datetime | None,
    end: datetime | None,
    page_size: int | None,
    skip: int | None,
) -> dict[str, Any]:
    if program_id not in tx.app.programs:
        raise not_found(f"Loyalty program {program_id} does not exist.", resource="loyaltyProgram")
    if tx.profile(integration_id) is None:
        raise not_found(
            f"Customer profile {integration_id!r} does not exist.", resource="customerProfile"
        )
    size = MAX_PAGE_SIZE if page_size is None else page_size
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise bad_request(
            "Invalid value", f"pageSize must be 1 to {MAX_PAGE_SIZE}.", parameter="pageSize"
        )
    offset = 0 if skip is None else skip
    if offset < 0:
        raise bad_request("Invalid value", "skip must not be negative.", parameter="skip")
    rows = sorted(
        (
            t
            for t in tx.ledger_of(integration_id)
            if t.program_id == program_id
            and (start is None or t.created >= start)
            and (end is None or t.created < end)
        ),
        key=lambda t: (t.created, t.id),
        reverse=True,
    )
    page = rows[offset : offset + size]
    return {
        "hasMore": len(rows) > offset + size,
        "data": [_entry(t) for t in page],
    }


def _entry(t: LoyaltyTx) -> dict[str, Any]:
    return {
        "id": t.id,
        "created": ts(t.created),
        "programId": t.program_id,
        "customerSessionId": t.session_id,
        # the ledger books signed amounts (a rollback too); the log shows the direction
        "type": "addition" if t.amount >= 0 else "subtraction",
        "name": t.reason,
        "startDate": ts(t.start_date),
        "expiryDate": "unlimited" if t.expiry_date is None else ts(t.expiry_date),
        "subledgerId": t.subledger_id,
        "amount": abs(t.amount),
    }

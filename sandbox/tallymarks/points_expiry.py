"""Points expiry, written as negative transactions at the last anniversary.

See docs/vendors/tallymarks.md §9.4.

- *aging*: points earned more than ``months`` before the customer's last anniversary expire
  (first in, first out: points already spent or expired are used up first);
- *activity*: when nothing was earned in the ``months`` before the last anniversary, the
  whole balance expires.

Each expiry's ``checkSum`` is derived from the customer, mode and anniversary, so running
expiry twice for the same anniversary writes nothing twice.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sandbox.tallymarks.dates import add_months, last_anniversary
from sandbox.tallymarks.engine import TRANSACTION_NAMESPACE, check_sum
from sandbox.tallymarks.records import Transaction
from sandbox.tallymarks.store import TenantData


@dataclass(frozen=True)
class ExpiryResult:
    customers: int
    points: int


def expire_points(tenant: TenantData, as_of: datetime, mode: str, months: int) -> ExpiryResult:
    customers = points = 0
    for customer_id, customer in list(tenant.customers.items()):
        anniversary = last_anniversary(customer.created_at, as_of)
        if anniversary is None:
            continue
        ledger = [t for t in tenant.transactions_of(customer_id) if t.created_at <= anniversary]
        balance = sum(t.amount for t in tenant.transactions_of(customer_id))
        cutoff = add_months(anniversary, -months)
        if mode == "aging":
            earned_before = sum(t.amount for t in ledger if t.amount > 0 and t.created_at < cutoff)
            used = -sum(t.amount for t in ledger if t.amount < 0)
            expiring = min(max(0, earned_before - used), balance)
        else:
            active = any(t.amount > 0 and t.created_at > cutoff for t in ledger)
            expiring = 0 if active else max(0, balance)
        if expiring <= 0:
            continue
        digest = check_sum(tenant.tenant_id, customer_id, "expiry", mode, anniversary.isoformat())
        written = tenant.add_transaction(
            Transaction(
                transaction_id=str(uuid.uuid5(TRANSACTION_NAMESPACE, digest)),
                tenant_id=tenant.tenant_id,
                customer_id=customer_id,
                event_id=None,
                event_type=None,
                assessment_rule_id=None,
                created_at=anniversary,
                check_sum=digest,
                name_space="Points.Expiry",
                description=f"Points expired ({mode}, {months} months)",
                amount=-expiring,
            )
        )
        if written:
            customers += 1
            points += expiring
    return ExpiryResult(customers, points)

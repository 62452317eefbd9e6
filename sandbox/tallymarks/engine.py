"""Event assessment: the small rule engine that turns events into transactions.

See docs/vendors/tallymarks.md §8.7.

- ``points`` events write their signed amount directly; ``redemption`` events write a
  negative transaction; ``error`` events write nothing.
- Other events are matched against the tenant's rules: points awards become
  ``customerTransactions`` (``checkSum`` is the dedupe guard, so assessing twice writes
  nothing twice); segment fulfilments add/remove memberships (``sourceEventId`` set);
  email/SMS fulfilments that cannot be delivered write an ``Error.FulfilmentStategy.Fulfil``
  error event (the vendor's spelling).
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence

from sandbox.tallymarks.memberships import CLOSED_STATUSES, add_membership, remove_membership
from sandbox.tallymarks.records import Event, Transaction
from sandbox.tallymarks.rules import Rule
from sandbox.tallymarks.store import TenantData

TRANSACTION_NAMESPACE = uuid.UUID("9a4d2f1e-7b3c-4e8a-b6d5-2c1f0e9d8a7b")
ERROR_NAMESPACE = "Error.FulfilmentStategy.Fulfil"


def process(tenant: TenantData, event: Event, rules: Sequence[Rule] | None = None) -> int:
    """Assess one stored event; returns how many transactions it wrote."""
    if event.event_type == "points":
        amount = int(event.detail.get("amount", 0))
        return int(_write(tenant, event, amount, None, event.description or "Points", "points"))
    if event.event_type == "redemption":
        amount = -abs(int(event.detail.get("amount", 0)))
        description = event.description or "Points redeemed"
        return int(_write(tenant, event, amount, None, description, "redemption"))
    if event.event_type == "error":
        return 0
    written = 0
    for rule in tenant.rules if rules is None else rules:
        if rule.matches(event):
            written += _fulfil(tenant, event, rule)
    return written


def check_sum(*parts: str) -> str:
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:32]


def _write(
    tenant: TenantData,
    event: Event,
    amount: int,
    rule_id: str | None,
    description: str,
    slug: str,
) -> bool:
    if amount == 0:
        return False
    digest = check_sum(tenant.tenant_id, event.event_id, slug)
    return tenant.add_transaction(
        Transaction(
            transaction_id=str(uuid.uuid5(TRANSACTION_NAMESPACE, digest)),
            tenant_id=tenant.tenant_id,
            customer_id=event.customer_id,
            event_id=event.event_id,
            event_type=event.event_type,
            assessment_rule_id=rule_id,
            created_at=event.created_at,
            check_sum=digest,
            name_space=event.name_space,
            description=description,
            amount=amount,
            external_reference=event.reference,
        )
    )


def _fulfil(tenant: TenantData, event: Event, rule: Rule) -> int:
    if rule.fulfilment in ("flatPoints", "pointsPerDollar"):
        return int(
            _write(tenant, event, rule.points_for(event), rule.ruleId, rule.name, rule.ruleId)
        )
    customer = tenant.customers[event.customer_id]
    if rule.fulfilment in ("addToSegment", "removeFromSegment"):
        segment = tenant.segments.get(rule.segmentId or "")
        if segment is None or segment.status in CLOSED_STATUSES:
            _error(tenant, event, rule, "The segment is not available.")
        elif rule.fulfilment == "addToSegment":
            add_membership(
                tenant, customer, segment, event.created_at, source_event_id=event.event_id
            )
        else:
            remove_membership(tenant, customer.customer_id, segment.segment_id, event.created_at)
    elif rule.fulfilment == "sendEmail" and not (customer.optin_email and customer.email_address):
        _error(tenant, event, rule, "Customer has not opted in to email or has no email address.")
    elif rule.fulfilment == "sendSms" and not (customer.optin_sms and customer.mobile_number):
        _error(tenant, event, rule, "Customer has not opted in to SMS or has no mobile number.")
    return 0


def _error(tenant: TenantData, source: Event, rule: Rule, message: str) -> None:
    event_id = str(uuid.uuid5(TRANSACTION_NAMESPACE, f"{source.event_id}:{rule.ruleId}:error"))
    if event_id in tenant.events:
        return
    tenant.add_event(
        Event(
            event_id=event_id,
            tenant_id=tenant.tenant_id,
            customer_id=source.customer_id,
            created_at=source.created_at,
            event_type="error",
            name_space=ERROR_NAMESPACE,
            reference=source.reference,
            description=rule.name,
            detail={
                "event": source.as_json(),
                "source": "TallyMarks.Core",
                "message": message,
                "description": f"Fulfilment of rule '{rule.name}' failed.",
            },
        )
    )

"""Adding and removing segment memberships (shared by the API route and the rule engine)."""

from __future__ import annotations

from datetime import datetime

from sandbox.tallymarks.records import Customer, Membership, Segment
from sandbox.tallymarks.segments import expiry_for
from sandbox.tallymarks.store import TenantData

CLOSED_STATUSES = ("Inactive", "Archived")


def add_membership(
    tenant: TenantData,
    customer: Customer,
    segment: Segment,
    at: datetime,
    *,
    source_event_id: str | None = None,
    extend: bool = False,
) -> Membership:
    """Add ``customer`` to ``segment`` at ``at``; re-adding an active membership only
    refreshes ``changedAt`` (and, with ``extend``, recomputes the expiry)."""
    members = tenant.memberships_of(customer.customer_id)
    existing = members.get(segment.segment_id)
    if existing is not None and existing.active_at(at):
        existing.changed_at = at
        if extend:
            existing.expiry_date_time = expiry_for(segment, customer, at)
        return existing
    membership = Membership(
        segment_id=segment.segment_id,
        customer_id=customer.customer_id,
        created_at=at,
        changed_at=at,
        source_event_id=source_event_id,
        expiry_date_time=expiry_for(segment, customer, at),
    )
    members[segment.segment_id] = membership
    return membership


def remove_membership(tenant: TenantData, customer_id: str, segment_id: str, at: datetime) -> bool:
    """Remove an active membership; False when there is none (expired ones count as none)."""
    members = tenant.memberships_of(customer_id)
    existing = members.get(segment_id)
    if existing is None or not existing.active_at(at):
        return False
    del members[segment_id]
    return True

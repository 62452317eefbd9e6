"""Segment catalogue and membership expiry (docs/vendors/tallymarks.md §7.9, §9.5).

``expiryDateTime`` is computed when a customer is added, by the segment's mode:

============================== ===============================================
None                           never expires (``null``)
UntilAnniversaryDate           the customer's next anniversary
UntilAnniversaryDatePlusOneYear next anniversary + 1 year (31 May 2020 joined,
                               added 23 Dec 2020 → 31 May 2022)
SpecifiedPeriod                added + n days/months/years (at most 5 years)
SpecifiedDate                  a fixed date (at most 5 years ahead)
============================== ===============================================
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sandbox.tallymarks.dates import add_months, add_years, next_anniversary
from sandbox.tallymarks.records import Customer, Segment

MAX_YEARS = 5
SEGMENT_NAMESPACE = uuid.UUID("0b6f4a0e-3f0c-4c55-8f3e-1d8b5d1f7a21")


def expiry_for(segment: Segment, customer: Customer, added_at: datetime) -> datetime | None:
    mode = segment.expiry_mode
    if mode == "UntilAnniversaryDate":
        return next_anniversary(customer.created_at, added_at)
    if mode == "UntilAnniversaryDatePlusOneYear":
        return add_years(next_anniversary(customer.created_at, added_at), 1)
    if mode == "SpecifiedPeriod":
        return add_period(added_at, segment.period_value or 0, segment.period_unit or "days")
    if mode == "SpecifiedDate":
        return segment.expiry_date
    return None


def add_period(start: datetime, value: int, unit: str) -> datetime:
    if unit == "days":
        return start + timedelta(days=value)
    if unit == "months":
        return add_months(start, value)
    return add_years(start, value)


def period_within_limit(value: int, unit: str) -> bool:
    """A Specified Period may not exceed five years."""
    probe = datetime(2000, 1, 1)
    return value > 0 and add_period(probe, value, unit) <= add_years(probe, MAX_YEARS)


def segment_id(tenant_id: str, name: str) -> str:
    return str(uuid.uuid5(SEGMENT_NAMESPACE, f"{tenant_id}:{name}"))


def default_segments(tenant_id: str, epoch: datetime) -> list[Segment]:
    """The seeded catalogue: every expiry mode, and some statuses that refuse new members."""

    def seg(
        name: str,
        display: str,
        description: str,
        *,
        status: str = "Active",
        expiry_mode: str = "None",
        period_value: int | None = None,
        period_unit: str | None = None,
        expiry_date: datetime | None = None,
    ) -> Segment:
        return Segment(
            segment_id(tenant_id, name),
            tenant_id,
            name,
            display,
            description,
            status,
            expiry_mode,
            period_value,
            period_unit,
            expiry_date,
        )

    return [
        seg("Newsletter", "Newsletter subscribers", "Receives the monthly newsletter"),
        seg(
            "Birthday Club",
            "Birthday Club",
            "Birthday perks until the next anniversary",
            expiry_mode="UntilAnniversaryDate",
        ),
        seg(
            "VIP",
            "VIP members",
            "VIP status until the anniversary after next",
            expiry_mode="UntilAnniversaryDatePlusOneYear",
        ),
        seg(
            "Welcome Offer",
            "New member offer",
            "30 days of welcome offers",
            expiry_mode="SpecifiedPeriod",
            period_value=30,
            period_unit="days",
        ),
        seg(
            "High Value",
            "High value customers",
            "Spent $500 or more in one order; reviewed yearly",
            expiry_mode="SpecifiedPeriod",
            period_value=1,
            period_unit="years",
        ),
        seg(
            "Holiday Campaign",
            "Holiday campaign",
            "Holiday campaign audience",
            expiry_mode="SpecifiedDate",
            expiry_date=add_years(epoch, 2),
        ),
        seg(
            "Spring Promo",
            "Spring promotion",
            "Paused spring promotion",
            status="Inactive",
            expiry_mode="SpecifiedPeriod",
            period_value=3,
            period_unit="months",
        ),
        seg("Legacy Members", "Legacy members", "Old programme", status="Archived"),
        seg("Beta Testers", "Beta testers", "App beta audience", status="Test"),
    ]

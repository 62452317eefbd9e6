"""Datetimes as Tallymarks (.NET) handles them: UTC, millisecond precision, ``Z`` on output."""

from __future__ import annotations

import calendar
from datetime import UTC, datetime


def to_utc_ms(value: datetime) -> datetime:
    """UTC, truncated to milliseconds; a naive value is taken as UTC ([G])."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    value = value.astimezone(UTC)
    return value.replace(microsecond=value.microsecond // 1000 * 1000)


def format_instant(value: datetime) -> str:
    """``2020-02-29T03:36:19.448Z``, as in the vendor's samples."""
    value = to_utc_ms(value)
    return value.strftime("%Y-%m-%dT%H:%M:%S.") + f"{value.microsecond // 1000:03d}Z"


def add_months(value: datetime, months: int) -> datetime:
    """Calendar months; the day is clamped to the target month (like .NET ``AddMonths``)."""
    index = value.year * 12 + (value.month - 1) + months
    year, month = divmod(index, 12)
    day = min(value.day, calendar.monthrange(year, month + 1)[1])
    return value.replace(year=year, month=month + 1, day=day)


def add_years(value: datetime, years: int) -> datetime:
    return add_months(value, 12 * years)


def next_anniversary(created_at: datetime, after: datetime) -> datetime:
    """The first anniversary of ``created_at`` strictly after ``after``."""
    years = max(0, after.year - created_at.year)
    candidate = add_years(created_at, years)
    while candidate <= after:
        years += 1
        candidate = add_years(created_at, years)
    return candidate


def last_anniversary(created_at: datetime, at: datetime) -> datetime | None:
    """The latest anniversary (1st or later) of ``created_at`` at or before ``at``."""
    years = at.year - created_at.year
    while years >= 1:
        candidate = add_years(created_at, years)
        if candidate <= at:
            return candidate
        years -= 1
    return None

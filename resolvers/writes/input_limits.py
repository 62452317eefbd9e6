"""The ranges and lengths every vendor a write reaches accepts, checked before the first call.

A cross-vendor write must be refused whole or not at all: if one vendor stored a value that
another refuses (or that the first cannot read back), the customer is left half written, or
unreadable. So the gateway refuses, as ``BAD_USER_INPUT`` naming the field, anything outside
the narrowest range of the vendors concerned:

- dates: Tallymarks writes years below 1000 back with fewer than four digits (which no
  ISO 8601 reader takes) and Talon.One's ``time`` attributes need RFC 3339, so every date
  must have a four-digit year; within that, the ranges below are what is plausible;
- amounts: Tallymarks refuses negative totals, Talon.One negative prices; totals are capped
  at a billion, so points earned per currency unit fit Tallymarks' integer amounts;
- texts: the vendors document no lengths, so the gateway caps free texts at what every
  record it reads back can carry.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import UTC, date, datetime, timedelta

from gateway.errors import BadUserInputError

__all__ = [
    "EARLIEST_BIRTH_DATE",
    "EARLIEST_INSTANT",
    "LATEST_INSTANT",
    "MAX_AMOUNT",
    "MAX_EMAIL_LENGTH",
    "MAX_NAME_LENGTH",
    "MAX_TEXT_LENGTH",
    "check_amount",
    "check_birth_date",
    "check_event_time",
    "check_instant",
    "check_length",
    "check_lengths",
]

#: the oldest birth date taken (also the date ``forgetCustomer`` writes over a real one)
EARLIEST_BIRTH_DATE = date(1900, 1, 1)
#: the window for validity dates (codes' start and end): four-digit years, Unix era on
EARLIEST_INSTANT = datetime(1970, 1, 1, tzinfo=UTC)
LATEST_INSTANT = datetime(2999, 12, 31, 23, 59, 59, tzinfo=UTC)
#: how far ahead of the gateway's clock an event may be dated (clock skew between systems)
EVENT_CLOCK_SKEW = timedelta(days=1)
#: the largest money amount or total taken
MAX_AMOUNT = 1_000_000_000.0
#: RFC 5321's limit on an address
MAX_EMAIL_LENGTH = 254
#: given and family names
MAX_NAME_LENGTH = 100
#: other free texts: display names, references, statuses, attribute values
MAX_TEXT_LENGTH = 255


def _utc(value: datetime) -> datetime:
    """A client's datetime without an offset is taken as UTC (as the vendors do)."""
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def check_birth_date(value: date | None, argument: str, *, today: date | None = None) -> None:
    """From 1900-01-01 to today: a birth date in the future is a typo."""
    if value is None:
        return
    latest = today or datetime.now(UTC).date()
    if not EARLIEST_BIRTH_DATE <= value <= latest:
        raise BadUserInputError(
            f"A date of birth must be between {EARLIEST_BIRTH_DATE.isoformat()} and today.",
            argument=argument,
        )


def check_instant(value: datetime | None, argument: str) -> None:
    """A validity date within 1970 to 2999 (four-digit years every vendor reads back)."""
    if value is None:
        return
    if not EARLIEST_INSTANT <= _utc(value) <= LATEST_INSTANT:
        raise BadUserInputError(
            f"Must be between {EARLIEST_INSTANT.date().isoformat()} and "
            f"{LATEST_INSTANT.date().isoformat()}.",
            argument=argument,
        )


def check_event_time(value: datetime | None, argument: str, *, now: datetime | None = None) -> None:
    """When something happened: from 1970 on, and not later than a day from now."""
    if value is None:
        return
    latest = (now or datetime.now(UTC)) + EVENT_CLOCK_SKEW
    if not EARLIEST_INSTANT <= _utc(value) <= latest:
        raise BadUserInputError(
            f"Must be between {EARLIEST_INSTANT.date().isoformat()} and now.", argument=argument
        )


def check_amount(
    value: float | None,
    argument: str,
    *,
    least: float = 0.0,
    most: float = MAX_AMOUNT,
) -> None:
    """A finite number within ``least`` and ``most``."""
    if value is None:
        return
    if not math.isfinite(value) or not least <= value <= most:
        raise BadUserInputError(f"Must be between {least:g} and {most:g}.", argument=argument)


def check_length(value: str | None, argument: str, *, most: int = MAX_TEXT_LENGTH) -> None:
    if value is not None and len(value) > most:
        raise BadUserInputError(f"At most {most} characters.", argument=argument)


def check_lengths(argument: str, texts: Mapping[str, str | None]) -> None:
    """An input's free texts, each reported as ``argument.name`` when too long."""
    for name, value in texts.items():
        check_length(value, f"{argument}.{name}")

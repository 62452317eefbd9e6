"""Input checks the vendors would otherwise answer with a vague 400 (or, worse, accept at
one vendor and refuse at another). Each failure names the GraphQL argument."""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from gateway.errors import BadUserInputError
from vendors.omnidesk.validation import NAME_PATTERN

__all__ = [
    "MAX_CART_ITEMS",
    "MAX_CODE_LENGTH",
    "MAX_IDS_PER_CALL",
    "check_contact_phone",
    "check_count",
    "check_currency",
    "check_email",
    "check_guid",
    "check_json_object",
    "check_non_empty",
    "check_person_name",
    "check_phone",
    "check_url",
]

#: Talon.One's caps (cart items per session, code length, profiles per bulk call)
MAX_CART_ITEMS = 1000
MAX_CODE_LENGTH = 100
MAX_IDS_PER_CALL = 1000

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
#: E.164: a plus, a non-zero country digit, at most 15 digits in all
_E164 = re.compile(r"^\+[1-9][0-9]{6,14}$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
#: a phone number as people write it: digits with an optional leading plus, spaces,
#: brackets, dots and dashes between them (3 to 32 characters)
_WRITTEN_PHONE = re.compile(r"^\+?[0-9(][0-9 ()./-]{1,30}[0-9]$")


def check_email(value: str | None, argument: str) -> None:
    if value is not None and not _EMAIL.fullmatch(value.strip()):
        raise BadUserInputError("Not a valid e-mail address.", argument=argument)


def check_phone(value: str | None, argument: str) -> None:
    if value is not None and not _E164.fullmatch(value):
        raise BadUserInputError(
            "Not an E.164 phone number (a plus, the country code and the number, no spaces).",
            argument=argument,
        )


def check_contact_phone(value: str | None, argument: str) -> None:
    """A contact phone is free text at the loyalty system, but it is searched and shown as
    a number: digits, with the usual separators."""
    if value is not None and not _WRITTEN_PHONE.fullmatch(value):
        raise BadUserInputError(
            "Not a phone number (digits, an optional leading plus, spaces, brackets, dots "
            "and dashes).",
            argument=argument,
        )


def check_person_name(value: str | None, argument: str) -> None:
    """Names reach the support desk, which accepts letters, spaces, ``.``, ``-`` and ``'``."""
    if value and re.fullmatch(NAME_PATTERN, value) is None:
        raise BadUserInputError(
            "A name may hold only letters, spaces, dots, hyphens and apostrophes.",
            argument=argument,
        )


def check_currency(value: str | None, argument: str) -> None:
    """An ISO 4217 code: three capital letters (``EUR``)."""
    if value is not None and not _CURRENCY.fullmatch(value):
        raise BadUserInputError(
            "Not an ISO 4217 currency code (three capital letters).", argument=argument
        )


def check_guid(value: str, argument: str) -> str:
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise BadUserInputError("Not a GUID.", argument=argument) from None


def check_non_empty(value: str, argument: str, *, most: int | None = None) -> str:
    if not value.strip():
        raise BadUserInputError("Must not be empty.", argument=argument)
    if most is not None and len(value) > most:
        raise BadUserInputError(f"At most {most} characters.", argument=argument)
    return value


def check_count(values: Sequence[object], argument: str, *, least: int = 0, most: int) -> None:
    if not least <= len(values) <= most:
        raise BadUserInputError(
            f"Give between {least} and {most} values (got {len(values)}).", argument=argument
        )


def check_json_object(value: object, argument: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise BadUserInputError("Must be a JSON object.", argument=argument)
    return {str(k): v for k, v in value.items()}


def check_url(value: str | None, argument: str) -> None:
    if value is None:
        return
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise BadUserInputError("Not an http(s) URL.", argument=argument)

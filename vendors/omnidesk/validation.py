"""Client-side checks of Omnidesk's documented patterns, before any call is made.

The patterns are those of docs/vendors/omnidesk.md §5.2.

A failure raises :class:`VendorInvalidInputError` naming the field, like the vendor's 400
would, without spending a request.
"""

from __future__ import annotations

import re

from vendors.errors import VendorInvalidInputError
from vendors.request_check import RequestCheck

__all__ = [
    "CHANNEL_TYPE_PATTERN",
    "MAX_ITEM_LIMIT",
    "NAME_PATTERN",
    "QUERY_PATTERN",
    "TELEPHONE_PATTERN",
    "Checker",
]

NAME_PATTERN = r"^[a-zA-ZÀ-ÖØ-Þß-öø-ÿŠš\.\-\' ]+$"
TELEPHONE_PATTERN = r"^\+[0-9]+$"
CHANNEL_TYPE_PATTERN = r"^([0-9]+|email|telephone|facebook|twitter)$"
QUERY_PATTERN = r"^[0-9a-zA-Z ]+$"
MAX_ITEM_LIMIT = 99


class Checker(RequestCheck):
    """Omnidesk's patterns and paging bounds; messages read as Omnidesk's own."""

    def fail(self, field: str, message: str) -> VendorInvalidInputError:
        return super().fail(field, f"Field '{field}' {message}")

    def pattern(self, field: str, value: str | None, pattern: str) -> None:
        """``None`` and ``""`` pass (not sent, or the documented empty default)."""
        if value and re.fullmatch(pattern, value) is None:
            raise self.fail(field, f"does not match the pattern {pattern}.")

    def name(self, field: str, value: str | None) -> None:
        self.pattern(field, value, NAME_PATTERN)

    def telephone(self, field: str, value: str | None) -> None:
        self.pattern(field, value, TELEPHONE_PATTERN)

    def channel_type(self, field: str, value: str | int | None) -> None:
        self.pattern(field, None if value is None else str(value), CHANNEL_TYPE_PATTERN)

    def channel_value(self, field: str, kind: str | int, value: str) -> None:
        if str(kind) in ("telephone", "2"):
            self.telephone(field, value)

    def paging(self, item_start: int, item_limit: int) -> None:
        if item_start < 0:
            raise self.fail("itemStart", "must be at least 0.")
        if not 1 <= item_limit <= MAX_ITEM_LIMIT:
            raise self.fail("itemLimit", f"must be between 1 and {MAX_ITEM_LIMIT}.")

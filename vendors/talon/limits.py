"""Talon.One's documented request limits, checked before a request is sent.

A request over a limit would only earn a 400; failing here saves the call and names the
field the same way a vendor rejection does (the body's JSON path, dotted).
"""

from __future__ import annotations

from collections.abc import Sized

from vendors.request_check import RequestCheck

__all__ = [
    "MAX_ADVOCATES",
    "MAX_AUDIENCE_ITEMS",
    "MAX_CART_ITEMS",
    "MAX_CODE_LENGTH",
    "MAX_INTEGRATION_IDS",
    "LimitCheck",
]

MAX_AUDIENCE_ITEMS = 1000
MAX_ADVOCATES = 1000
MAX_INTEGRATION_IDS = 1000
MAX_CART_ITEMS = 1000
MAX_CODE_LENGTH = 100


class LimitCheck(RequestCheck):
    """Talon.One's item and length limits; the errors' code says the gateway refused."""

    code = "ClientLimit"

    def count(self, field: str, items: Sized | None, *, most: int, least: int = 0) -> None:
        size = 0 if items is None else len(items)
        if items is None and least == 0:
            return
        if size > most:
            raise self.fail(field, f"at most {most} items allowed, got {size}")
        if size < least:
            raise self.fail(field, f"at least {least} items required, got {size}")

    def length(self, field: str, value: str | None, *, most: int) -> None:
        if value is not None and len(value) > most:
            raise self.fail(field, f"at most {most} characters allowed")

    def each_length(self, field: str, values: list[str] | None, *, most: int) -> None:
        for index, value in enumerate(values or []):
            self.length(f"{field}.{index}", value, most=most)

"""Fields whose vendor value could not be read: null, with a ``VENDOR_DATA_INVALID`` error.

Read models keep such a value as :class:`~vendors.lenient.Unparsed`; a field
resolver passes its value through :func:`readable`, which raises for the marker. Only that
field is lost: GraphQL nulls it and reports the error at its path, and the record's other
fields still arrive. Retrying does not help (the vendor holds the bad value), so the error
says ``retryable: false``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import strawberry

from gateway.errors import GatewayError
from vendors.lenient import Unparsed

__all__ = ["UNREADABLE", "TolerantFields", "VendorDataInvalidError", "readable"]

#: the sentence every tolerant field's description ends with
UNREADABLE = "Null, with a VENDOR_DATA_INVALID error, when the vendor's value cannot be read."

log = logging.getLogger("gateway.vendor_data")

T = TypeVar("T")
S = TypeVar("S")


class VendorDataInvalidError(GatewayError):
    """A vendor value the gateway cannot read (e.g. a date with a three-digit year)."""

    code = "VENDOR_DATA_INVALID"


def readable(value: T | Unparsed, vendor: str) -> T:
    """``value`` itself, or the coded error when the vendor's value was unreadable."""
    if isinstance(value, Unparsed):
        log.warning("%s sent a value the gateway cannot read: %s", vendor, value)
        raise VendorDataInvalidError(
            "The vendor holds a value for this field that cannot be read.",
            vendor=vendor,
            retryable=False,
        )
    return value


@dataclass(frozen=True, slots=True)
class TolerantFields(Generic[S]):
    """Makes the fields of a type that keeps its ``vendor`` record (an ``S``) as ``source``:
    ``fields(value, description)`` is ``value`` of the record, through :func:`readable`.
    The class annotates each field's GraphQL type."""

    vendor: str

    def __call__(self, value: Callable[[S], object], description: str) -> Any:
        vendor = self.vendor

        def resolve(root: Any) -> object:
            return readable(value(root.source), vendor)

        return strawberry.field(resolver=resolve, description=f"{description} {UNREADABLE}")

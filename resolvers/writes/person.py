"""A person's fields as the gateway takes them, and what each vendor is sent for them.

The identity rule: the canonical customer id is the Tallymarks ``customerId``; it is the
Omnidesk ``external_primary_id`` (in the tenant's brand) and the Talon.One profile
``integrationId``. Each vendor is sent the fields it keeps, under its own names; that
mapping is the vendor's package (:mod:`vendors.tallymarks.customer_fields`,
:mod:`vendors.omnidesk.customer_fields`, :mod:`vendors.talon.profile_fields`),
which reads a :class:`PersonFields` through a protocol of what it needs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

__all__ = ["PersonFields"]


@dataclass(frozen=True)
class PersonFields:
    """What to write about a person; ``None`` means "leave as it is"."""

    first_name: str | None = None
    last_name: str | None = None
    display_name: str | None = None
    email: str | None = None
    mobile_number: str | None = None
    contact_phone: str | None = None
    date_of_birth: datetime | None = None
    optin_sms: bool | None = None
    optin_email: bool | None = None
    accept_terms: bool | None = None
    external_reference: str | None = None
    external_status: str | None = None
    #: Tallymarks attributes (replace the stored list): name → value
    loyalty_attributes: tuple[tuple[str, str | None], ...] | None = None
    #: Omnidesk custom fields (merged): name → value
    support_fields: tuple[tuple[str, str], ...] | None = None
    #: Talon.One profile attributes (merged), as given
    promotion_attributes: Mapping[str, Any] | None = None

    def is_empty(self) -> bool:
        return all(getattr(self, f.name) is None for f in fields(self))

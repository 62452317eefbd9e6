"""A person's fields as Omnidesk keeps them on a customer: ``firstname``, ``lastname``,
custom fields (merged), and the email address and mobile number as channels (``email``,
``telephone``); the customer id is the ``external_primary_id`` in the tenant's brand."""

from __future__ import annotations

from typing import Protocol

from vendors.omnidesk.models import ChannelInput, CustomerChanges, NewCustomer
from vendors.person import Person

__all__ = ["SupportPerson", "customer_changes", "new_customer"]


class SupportPerson(Person, Protocol):
    """What Omnidesk is sent about a person; ``None`` leaves a field as it is."""

    @property
    def support_fields(self) -> tuple[tuple[str, str], ...] | None: ...


def _channels(p: SupportPerson) -> list[ChannelInput]:
    channels = []
    if p.email is not None:
        channels.append(ChannelInput(type="email", value=p.email))
    if p.mobile_number is not None:
        channels.append(ChannelInput(type="telephone", value=p.mobile_number))
    return channels


def new_customer(customer_id: str, p: SupportPerson) -> NewCustomer:
    return NewCustomer(
        primary_id=customer_id,
        firstname=p.first_name,
        lastname=p.last_name,
        extra_email=p.email,
        extra_telephone=p.mobile_number,
        custom_fields=dict(p.support_fields or ()),
    )


def customer_changes(p: SupportPerson) -> CustomerChanges | None:
    """Names, custom fields and channels to set; ``None`` when Omnidesk keeps none of them.
    A new address is added as a channel (Omnidesk keeps the old one, still linked)."""
    changes = CustomerChanges(
        firstname=p.first_name,
        lastname=p.last_name,
        custom_fields=dict(p.support_fields or ()),
        channels=_channels(p),
    )
    empty = changes.firstname is None and changes.lastname is None
    return None if empty and not changes.custom_fields and not changes.channels else changes

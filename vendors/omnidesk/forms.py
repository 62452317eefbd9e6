"""Flattens request models into the string fields Omnidesk reads
(docs/vendors/omnidesk.md §2, §6).

Custom fields become ``custom_<name>``, channels become ``customerChannelType_N`` /
``customerChannelValue_N`` pairs, booleans ``"1"``; unset values are not sent at all
(so the vendor leaves them unchanged).
"""

from __future__ import annotations

from collections.abc import Mapping

from vendors.omnidesk.models import ChannelInput, CustomerChanges
from vendors.omnidesk.validation import Checker

__all__ = ["Fields", "changes_fields", "channel_pairs", "custom_fields", "fields"]

Fields = dict[str, str]


def fields(**values: str | int | bool | None) -> Fields:
    """Only the values that are set, as strings (``True`` → ``"1"``; ``False`` not sent)."""
    out: Fields = {}
    for name, value in values.items():
        if value is None or value is False:
            continue
        out[name] = "1" if value is True else str(value)
    return out


def custom_fields(values: Mapping[str, str]) -> Fields:
    return {f"custom_{name}": value for name, value in values.items()}


def channel_pairs(channels: list[ChannelInput], check: Checker) -> Fields:
    out: Fields = {}
    for n, channel in enumerate(channels):
        type_field, value_field = f"customerChannelType_{n}", f"customerChannelValue_{n}"
        check.channel_type(type_field, channel.type)
        check.channel_value(value_field, channel.type, channel.value)
        out[type_field] = str(channel.type)
        out[value_field] = channel.value
    return out


def changes_fields(changes: CustomerChanges, check: Checker, *, pairs: bool = True) -> Fields:
    """Names, custom fields and (where the endpoint takes them) channel pairs, checked."""
    check.name("firstname", changes.firstname)
    check.name("lastname", changes.lastname)
    out = fields(firstname=changes.firstname, lastname=changes.lastname)
    out |= custom_fields(changes.custom_fields)
    if pairs:
        out |= channel_pairs(changes.channels, check)
    return out

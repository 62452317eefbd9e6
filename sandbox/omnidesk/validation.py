"""Omnidesk's validation patterns and typed reads of the string-only request fields
(docs/vendors/omnidesk.md §5.2, §2.2).

Every value reaches the vendor as a string (form fields, query parameters), so numbers and
booleans are parsed here. Parameter names are matched exactly: ``brandID`` is not
``brand_id``, and a field under the wrong casing is simply not there.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from sandbox.omnidesk.errors import field_error

NAME_PATTERN = r"^[a-zA-ZÀ-ÖØ-Þß-öø-ÿŠš\.\-\' ]+$"
TELEPHONE_PATTERN = r"^\+[0-9]+$"
CHANNEL_TYPE_PATTERN = r"^([0-9]+|email|telephone|facebook|twitter)$"
SOCIAL_PATTERN = r"^[a-zA-Z0-9_ ]+$"
QUERY_PATTERN = r"^[0-9a-zA-Z ]+$"
NUMBER_PATTERN = r"^[0-9]+$"
#: [G] the docs only say "email"; a plain one-@ shape with a dotted domain
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
#: [G] externalEvent's ``source_url``: an absolute http(s) URL
URL_PATTERN = r"^https?://\S+$"

_FALSE = frozenset({"", "0", "false", "no", "off"})
_PAIR_TYPE = re.compile(r"^customerChannelType_([0-9]+)$")
_PAIR_VALUE = re.compile(r"^customerChannelValue_([0-9]+)$")
CUSTOM_PREFIX = "custom_"


def matches(pattern: str, value: str) -> bool:
    return re.fullmatch(pattern, value) is not None


class Params:
    """The fields of one request, read by their exact names."""

    def __init__(self, values: Mapping[str, str]) -> None:
        self.values = dict(values)

    def has(self, name: str) -> bool:
        return name in self.values

    def text(self, name: str, *, required: bool = False) -> str | None:
        value = self.values.get(name)
        if required and not value:
            raise field_error(name, "is required.")
        return value

    def required(self, name: str) -> str:
        value = self.text(name, required=True)
        assert value is not None
        return value

    def number(self, name: str, *, required: bool = False) -> int | None:
        value = self.text(name, required=required)
        if value is None or value == "":
            return None
        if not matches(NUMBER_PATTERN, value):
            raise field_error(name, "must be a number.")
        return int(value)

    def required_number(self, name: str) -> int:
        value = self.number(name, required=True)
        assert value is not None
        return value

    def flag(self, name: str) -> bool:
        """A boolean sent as a string: absent, ``""``, ``0`` or ``false`` are false."""
        value = self.values.get(name)
        return value is not None and value.strip().lower() not in _FALSE

    def present(self, name: str) -> bool:
        """A flag documented as "send with any value" (e.g. ``getTicketHistory``)."""
        return name in self.values

    def patterned(self, name: str, pattern: str, *, required: bool = False) -> str | None:
        value = self.text(name, required=required)
        if value is None or value == "":
            return value
        if not matches(pattern, value):
            raise field_error(name, f"does not match the pattern {pattern}.")
        return value

    def name(self, name: str) -> str | None:
        """A first or last name: ``""`` is allowed (the documented default)."""
        return self.patterned(name, NAME_PATTERN)

    def telephone(self, name: str) -> str | None:
        return self.patterned(name, TELEPHONE_PATTERN) or None

    def email(self, name: str) -> str | None:
        value = self.text(name)
        if not value:
            return None
        if not matches(EMAIL_PATTERN, value):
            raise field_error(name, "must be a valid email address.")
        return value

    def custom_fields(self, defined: tuple[str, ...], *, reject_unknown: bool) -> dict[str, str]:
        """``custom_<name>`` fields; unknown names are ignored, or rejected by option.

        See docs/vendors/omnidesk.md §7.2.
        """
        found: dict[str, str] = {}
        for key, value in self.values.items():
            if not key.startswith(CUSTOM_PREFIX) or len(key) == len(CUSTOM_PREFIX):
                continue
            name = key[len(CUSTOM_PREFIX) :]
            if name in defined:
                found[name] = value
            elif reject_unknown:
                raise field_error(key, "is not a custom field of this account.")
        return found

    def channel_pairs(self) -> list[tuple[str, str, str, str]]:
        """``customerChannelType_N``/``customerChannelValue_N`` pairs, by N.

        Returns ``(type_field, type, value_field, value)``; a half pair is a 400.
        """
        types: dict[int, str] = {}
        values: dict[int, str] = {}
        for key, value in self.values.items():
            if m := _PAIR_TYPE.match(key):
                types[int(m.group(1))] = value
            elif m := _PAIR_VALUE.match(key):
                values[int(m.group(1))] = value
        pairs = []
        for n in sorted(types.keys() | values.keys()):
            type_field, value_field = f"customerChannelType_{n}", f"customerChannelValue_{n}"
            if not types.get(n):
                raise field_error(type_field, "is required.")
            if not values.get(n):
                raise field_error(value_field, "is required.")
            pairs.append((type_field, types[n], value_field, values[n]))
        return pairs

"""The facts about a person that more than one vendor keeps, as the write side hands them
to a vendor's field mapping (each vendor's ``*_fields`` module adds its own)."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any, Protocol

__all__ = ["Person", "ProfileFieldNames", "ProfiledPerson"]


class Person(Protocol):
    """Names and contact points: every vendor keeps these; ``None`` leaves one as it is."""

    @property
    def first_name(self) -> str | None: ...
    @property
    def last_name(self) -> str | None: ...
    @property
    def email(self) -> str | None: ...
    @property
    def mobile_number(self) -> str | None: ...


class ProfiledPerson(Person, Protocol):
    """A person with the profile facts the loyalty and promotion vendors both keep."""

    @property
    def display_name(self) -> str | None: ...
    @property
    def date_of_birth(self) -> datetime | None: ...
    @property
    def external_reference(self) -> str | None: ...


@dataclass(frozen=True)
class ProfileFieldNames:
    """One vendor's names for the :class:`ProfiledPerson` facts: the loyalty and promotion
    vendors both keep all seven, so each names every one and :meth:`given` maps them."""

    display_name: str
    first_name: str
    last_name: str
    email: str
    mobile_number: str
    date_of_birth: str
    external_reference: str

    @classmethod
    def as_facts(cls, **renamed: str) -> ProfileFieldNames:
        """Names for a vendor whose fields are called as the facts are, but ``renamed``."""
        facts = [f.name for f in fields(cls)]
        if unknown := renamed.keys() - set(facts):
            raise TypeError(f"not a profile fact: {sorted(unknown)}")
        return cls(**{fact: renamed.get(fact, fact) for fact in facts})

    def given(self, p: ProfiledPerson) -> dict[str, Any]:
        """The facts ``p`` gives (``None`` leaves a field as it is) under the vendor's names,
        in the order declared here (the order Talon.One's profile attributes are sent in)."""
        named = ((getattr(self, f.name), getattr(p, f.name)) for f in fields(self))
        return {name: value for name, value in named if value is not None}

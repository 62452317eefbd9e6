"""The facts about a person that more than one vendor keeps, as the write side hands them
to a vendor's field mapping (each vendor's ``*_fields`` module adds its own)."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

__all__ = ["Person", "ProfiledPerson"]


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

"""The profile facts two vendors keep are mapped by one table per vendor: given facts only,
under the vendor's names, in the table's order."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from vendors.person import ProfileFieldNames
from vendors.tallymarks.customer_fields import customer_update
from vendors.talon.profile_fields import profile_attributes


@dataclass(frozen=True)
class Someone:
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    mobile_number: str | None = None
    display_name: str | None = None
    date_of_birth: datetime | None = None
    external_reference: str | None = None
    contact_phone: str | None = None
    optin_sms: bool | None = None
    optin_email: bool | None = None
    accept_terms: bool | None = None
    external_status: str | None = None
    loyalty_attributes: tuple[tuple[str, str | None], ...] | None = None
    promotion_attributes: dict[str, object] | None = None


BORN = datetime(1990, 5, 17, tzinfo=UTC)


def test_only_the_given_facts_are_mapped_in_declared_order() -> None:
    names = ProfileFieldNames.as_facts(email="mail", display_name="shown")
    person = Someone(email="a@b.nl", first_name="Ann", display_name="A.")

    assert list(names.given(person).items()) == [
        ("shown", "A."),
        ("first_name", "Ann"),
        ("mail", "a@b.nl"),
    ]


def test_a_rename_of_something_that_is_not_a_fact_is_refused() -> None:
    with pytest.raises(TypeError, match="emial"):
        ProfileFieldNames.as_facts(emial="email_address")


def test_talon_gets_its_standard_attributes_with_an_iso_birth_date() -> None:
    person = Someone(
        last_name="Bos",
        email="a@b.nl",
        date_of_birth=BORN,
        promotion_attributes={"Email": "own@b.nl", "Tier": "gold"},
    )

    assert list(profile_attributes(person).items()) == [
        ("LastName", "Bos"),
        ("Email", "own@b.nl"),
        ("BirthDate", BORN.isoformat()),
        ("Tier", "gold"),
    ]


def test_tallymarks_gets_the_facts_and_its_own_fields_and_nothing_unset() -> None:
    update = customer_update(Someone(email="a@b.nl", optin_sms=False, date_of_birth=BORN))

    assert update is not None
    assert update.model_fields_set == {"email_address", "optin_sms", "date_of_birth"}
    assert customer_update(Someone()) is None

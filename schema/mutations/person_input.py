"""The person fields a customer mutation takes, validated into :class:`PersonFields`."""

from __future__ import annotations

from datetime import UTC, date, datetime

import strawberry
from strawberry.scalars import JSON

from resolvers.writes.input_limits import (
    MAX_EMAIL_LENGTH,
    MAX_NAME_LENGTH,
    MAX_TEXT_LENGTH,
    check_birth_date,
    check_length,
)
from resolvers.writes.person import PersonFields
from resolvers.writes.validation import (
    check_contact_phone,
    check_email,
    check_json_object,
    check_non_empty,
    check_person_name,
    check_phone,
)

__all__ = ["NameValueInput", "PersonInput"]


@strawberry.input(description="A name and a value.")
class NameValueInput:
    name: str = strawberry.field(description="The name (not empty).")
    value: str | None = strawberry.field(default=None, description="The value.")


@strawberry.input(description="A person's fields; leave a field out to keep it as it is.")
class PersonInput:
    first_name: str | None = strawberry.field(
        default=None, description="Given name (letters, spaces, `.`, `-`, `'`)."
    )
    last_name: str | None = strawberry.field(
        default=None, description="Family name (letters, spaces, `.`, `-`, `'`)."
    )
    display_name: str | None = strawberry.field(default=None, description="Name to show.")
    email: str | None = strawberry.field(
        default=None,
        description="E-mail address: unique per tenant in the loyalty system, and linked as "
        "a support channel.",
    )
    mobile_number: str | None = strawberry.field(
        default=None,
        description="Mobile number in E.164 form (`+31612345678`); also a support channel.",
    )
    contact_phone: str | None = strawberry.field(
        default=None, description="Contact phone number (loyalty profile)."
    )
    date_of_birth: date | None = strawberry.field(default=None, description="Date of birth.")
    optin_sms: bool | None = strawberry.field(default=None, description="Opted in to SMS.")
    optin_email: bool | None = strawberry.field(default=None, description="Opted in to e-mail.")
    accept_terms: bool | None = strawberry.field(
        default=None, description="Accepted the loyalty programme's terms."
    )
    external_reference: str | None = strawberry.field(
        default=None, description="Your own reference for the customer (e.g. a CRM id)."
    )
    external_status: str | None = strawberry.field(
        default=None, description="Your status for the customer, e.g. `active`."
    )
    loyalty_attributes: list[NameValueInput] | None = strawberry.field(
        default=None,
        description="Loyalty profile attributes; replace the stored list when given.",
    )
    support_custom_fields: list[NameValueInput] | None = strawberry.field(
        default=None,
        description="Support desk custom fields (must be defined at the support desk); "
        "merged into the stored ones.",
    )
    promotion_attributes: JSON | None = strawberry.field(
        default=None,
        description="Promotion profile attributes as a JSON object (must be defined in the "
        'promotion engine, e.g. `{"City": "Utrecht"}`); merged into the stored ones.',
    )

    def to_person(self, argument: str) -> PersonFields:
        """Validated fields; a bad one is BAD_USER_INPUT naming ``<argument>.<field>``.

        Every field is checked against what each vendor it goes to accepts and reads back
        (:mod:`resolvers.writes.input_limits`), before any vendor is called."""
        for name, value, most in (
            ("firstName", self.first_name, MAX_NAME_LENGTH),
            ("lastName", self.last_name, MAX_NAME_LENGTH),
            ("displayName", self.display_name, MAX_TEXT_LENGTH),
            ("email", self.email, MAX_EMAIL_LENGTH),
            ("contactPhone", self.contact_phone, MAX_TEXT_LENGTH),
            ("externalReference", self.external_reference, MAX_TEXT_LENGTH),
            ("externalStatus", self.external_status, MAX_TEXT_LENGTH),
        ):
            check_length(value, f"{argument}.{name}", most=most)
        check_person_name(self.first_name, f"{argument}.firstName")
        check_person_name(self.last_name, f"{argument}.lastName")
        check_email(self.email, f"{argument}.email")
        check_phone(self.mobile_number, f"{argument}.mobileNumber")
        check_contact_phone(self.contact_phone, f"{argument}.contactPhone")
        check_birth_date(self.date_of_birth, f"{argument}.dateOfBirth")
        return PersonFields(
            first_name=self.first_name,
            last_name=self.last_name,
            display_name=self.display_name,
            email=self.email.strip() if self.email is not None else None,
            mobile_number=self.mobile_number,
            contact_phone=self.contact_phone,
            date_of_birth=(
                datetime(
                    self.date_of_birth.year,
                    self.date_of_birth.month,
                    self.date_of_birth.day,
                    tzinfo=UTC,
                )
                if self.date_of_birth is not None
                else None
            ),
            optin_sms=self.optin_sms,
            optin_email=self.optin_email,
            accept_terms=self.accept_terms,
            external_reference=self.external_reference,
            external_status=self.external_status,
            loyalty_attributes=_pairs(self.loyalty_attributes, f"{argument}.loyaltyAttributes"),
            support_fields=_fields(self.support_custom_fields, f"{argument}.supportCustomFields"),
            promotion_attributes=(
                check_json_object(self.promotion_attributes, f"{argument}.promotionAttributes")
                if self.promotion_attributes is not None
                else None
            ),
        )


def _pairs(
    values: list[NameValueInput] | None, argument: str
) -> tuple[tuple[str, str | None], ...] | None:
    if values is None:
        return None
    return tuple((_pair_name(v, f"{argument}[{i}]"), v.value) for i, v in enumerate(values))


def _fields(
    values: list[NameValueInput] | None, argument: str
) -> tuple[tuple[str, str], ...] | None:
    if values is None:
        return None
    return tuple((_pair_name(v, f"{argument}[{i}]"), v.value or "") for i, v in enumerate(values))


def _pair_name(pair: NameValueInput, argument: str) -> str:
    """The pair's name, both parts within the text limit."""
    check_length(pair.value, f"{argument}.value")
    return check_non_empty(pair.name, f"{argument}.name", most=MAX_NAME_LENGTH)

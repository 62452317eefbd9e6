"""Tolerant read fields: a bad vendor value becomes a marker; request models stay strict."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from pydantic import ValidationError

from vendors.lenient import Unparsed
from vendors.omnidesk.models import Customer as OmnideskCustomer
from vendors.tallymarks.models import Customer, CustomerUpdate
from vendors.talon.models import CustomerProfile

CUSTOMER_ID = "12708cee-2e22-4e00-ab56-39c09a06f9c5"


def test_a_three_digit_year_is_kept_as_a_marker_and_the_rest_is_read() -> None:
    read = Customer.model_validate(
        {"customerId": CUSTOMER_ID, "firstName": "Ada", "dateOfBirth": "999-01-01T00:00:00Z"}
    )

    assert isinstance(read.date_of_birth, Unparsed)
    assert read.date_of_birth.raw == "999-01-01T00:00:00Z"
    assert read.first_name == "Ada"


def test_good_values_parse_as_before() -> None:
    read = Customer.model_validate(
        {"customerId": CUSTOMER_ID, "dateOfBirth": "1980-09-11T00:00:00Z", "optinSms": True}
    )

    assert read.date_of_birth == datetime(1980, 9, 11, tzinfo=UTC)
    assert read.optin_sms is True
    assert read.optin_email is False
    assert Customer.model_validate({"customerId": CUSTOMER_ID}).date_of_birth is None


def test_a_bad_value_read_from_json_is_a_marker_with_the_parser_reason() -> None:
    body = {"customerId": CUSTOMER_ID, "dateOfBirth": "999-01-01T00:00:00Z", "optinSms": "perhaps"}

    read = Customer.model_validate_json(json.dumps(body))

    assert isinstance(read.date_of_birth, Unparsed)
    assert read.date_of_birth.raw == "999-01-01T00:00:00Z"
    assert "datetime" in read.date_of_birth.problem
    assert isinstance(read.optin_sms, Unparsed)
    assert read.optin_sms.problem.startswith("Input should be a valid boolean")


def test_a_marker_handed_to_a_model_stays_that_marker() -> None:
    marker = Unparsed(raw="perhaps", problem="Input should be a valid boolean")

    copied = Customer.model_validate({"customerId": CUSTOMER_ID, "optinSms": marker})

    assert copied.optin_sms is marker


def test_the_marker_is_written_back_as_the_vendor_sent_it() -> None:
    read = Customer.model_validate({"customerId": CUSTOMER_ID, "acceptTerms": "maybe"})

    assert read.model_dump(mode="json", by_alias=True)["acceptTerms"] == "maybe"


def test_request_models_stay_strict() -> None:
    with pytest.raises(ValidationError):
        CustomerUpdate.model_validate({"dateOfBirth": "999-01-01T00:00:00Z"})


def test_talon_and_omnidesk_profiles_keep_markers_per_field() -> None:
    profile = CustomerProfile.model_validate(
        {
            "id": 1,
            "created": "2024-01-01T00:00:00Z",
            "integrationId": CUSTOMER_ID,
            "attributes": {},
            "accountId": 1,
            "closedSessions": "three",
            "totalSales": 12.5,
            "lastActivity": "yesterday",
        }
    )
    support = OmnideskCustomer.model_validate({"id": 7, "firstname": 12, "lastname": "Bos"})

    assert isinstance(profile.closed_sessions, Unparsed)
    assert isinstance(profile.last_activity, Unparsed)
    assert profile.total_sales == 12.5
    assert isinstance(support.firstname, Unparsed)
    assert support.lastname == "Bos"

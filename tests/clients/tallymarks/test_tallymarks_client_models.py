"""Models and the error parser, without a sandbox."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta, timezone

import httpx

import vendors.tallymarks as tallymarks
from vendors.http import VendorRejection
from vendors.tallymarks import (
    ActionEvent,
    Attribute,
    Customer,
    EventAttribute,
    LineItem,
    OrderDetails,
    OrderEvent,
    parse_error,
)


def test_parse_error_reads_code_message_and_first_param() -> None:
    response = httpx.Response(
        400,
        json={
            "code": "EmailAlreadyRegistered",
            "message": "Email Already Registered",
            "detail": "ada@example.com is taken",
            "errors": [{"message": "m", "param": "emailAddress", "value": "ada@example.com"}],
        },
    )
    assert parse_error(response) == VendorRejection(
        message="Email Already Registered", code="EmailAlreadyRegistered", field="emailAddress"
    )


def test_parse_error_tolerates_other_bodies() -> None:
    html = httpx.Response(503, text="<html>503</html>")
    listing = httpx.Response(400, json=[1, 2])
    bare = httpx.Response(401, json={"code": "Unauthorized", "message": "x" * 500, "errors": []})
    assert parse_error(html) == VendorRejection()
    assert parse_error(listing) == VendorRejection()
    assert parse_error(bare) == VendorRejection(message="x" * 120, code="Unauthorized")


def test_attributes_accept_name_or_key() -> None:
    assert Attribute.model_validate({"key": "tier", "value": "gold"}).name == "tier"
    assert EventAttribute.model_validate({"name": "channel", "value": "app"}).key == "channel"
    assert Attribute(name="a", value="b").model_dump(by_alias=True) == {"name": "a", "value": "b"}
    assert EventAttribute(key="a").model_dump(by_alias=True) == {"key": "a", "value": None}


def test_datetimes_are_always_timezone_aware() -> None:
    customer = Customer.model_validate(
        {
            "customerId": "c1",
            "createdAt": "2020-02-29T03:35:23.929Z",
            "changedAt": "2020-02-29T14:35:23.929+11:00",
            "dateOfBirth": "1990-01-01T00:00:00",
            "unknownField": 1,
        }
    )
    assert customer.created_at == datetime(2020, 2, 29, 3, 35, 23, 929000, tzinfo=UTC)
    assert customer.changed_at is not None
    assert customer.changed_at.utcoffset() == timedelta(hours=11)
    assert customer.changed_at == customer.created_at
    assert customer.date_of_birth == datetime(1990, 1, 1, tzinfo=UTC)


def test_events_get_a_fresh_guid_and_serialise_in_camel_case() -> None:
    first = ActionEvent(customer_id="c1", name_space="App.Login")
    second = ActionEvent(
        customer_id="c1",
        name_space="App.Login",
        created_at=datetime(2026, 1, 1, 10, tzinfo=timezone(timedelta(hours=1))),
    )
    assert uuid.UUID(first.event_id)
    assert first.event_id != second.event_id
    dumped = second.model_dump(mode="json", by_alias=True, exclude_none=True)
    assert dumped == {
        "eventId": second.event_id,
        "customerId": "c1",
        "nameSpace": "App.Login",
        "createdAt": "2026-01-01T10:00:00+01:00",
        "action": {"amount": 0.0, "count": 0},
    }


def test_an_order_is_sent_with_an_empty_payments_list() -> None:
    """The gateway takes no payment details; the body keeps the list it always carried."""
    order = OrderEvent(
        event_id="e1",
        customer_id="c1",
        order=OrderDetails(total=9.5, line_items=[LineItem(sku="S1")]),
    )

    assert order.model_dump(mode="json", by_alias=True, exclude_none=True) == {
        "eventId": "e1",
        "customerId": "c1",
        "order": {"total": 9.5, "lineItems": [{"sku": "S1", "quantity": 1}], "payments": []},
    }


def test_the_public_surface_is_deliberate() -> None:
    assert set(tallymarks.__all__) == {
        "ActionDetails", "ActionEvent", "Attribute", "Balance", "BasketAssessment",
        "BasketDetails", "BasketEvent", "BasketOutcome", "Customer", "CustomerCreate",
        "CustomerEvent", "CustomerPage", "CustomerSummary", "CustomerTransaction",
        "CustomerUpdate", "EventAccepted", "EventAttribute", "EventPage", "LineItem",
        "OrderDetails", "OrderEvent", "PointsDetails", "PointsEvent",
        "RedemptionAccepted", "RedemptionDetails", "RedemptionEvent", "SegmentMembership",
        "SegmentPage", "TallymarksAuth", "TallymarksClient", "TallymarksConfig",
        "TransactionDetails", "TransactionEvent", "TransactionPage", "parse_error",
        "tallymarks_http",
    }  # fmt: skip
    assert all(hasattr(tallymarks, name) for name in tallymarks.__all__)

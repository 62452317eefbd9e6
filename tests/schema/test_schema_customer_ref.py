"""The seam through which the types below Customer build one (schema.customer_ref): it
hands out the real Customer once schema.customer is imported, and says what is missing
when it is not."""

from __future__ import annotations

import pytest

from resolvers.customer_identity import Identity
from schema import customer_ref
from schema.customer import Customer
from schema.customer_ref import customer_from_id


def test_a_customer_from_the_seam_is_the_customer_type_of_that_id() -> None:
    made = customer_from_id("c-42")

    assert type(made) is Customer
    assert made.key == "c-42"
    # named by another record, not vouched for by the loyalty system: as Customer.from_id
    assert made.identity_check == Identity() == Customer.from_id("c-42").identity_check


def test_the_seam_says_what_is_missing_before_the_customer_type_registers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(customer_ref, "_factory", None)

    with pytest.raises(RuntimeError, match=r"import schema\.customer"):
        customer_from_id("c-42")

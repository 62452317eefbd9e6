"""The client against the sandbox over real HTTP (uvicorn on loopback)."""

from __future__ import annotations

import pytest

from tests.clients.tallymarks.tmc_support import guid, new_app, sandbox
from tests.support.live_server import live_server
from vendors.tallymarks import ActionEvent, CustomerCreate, CustomerUpdate

pytestmark = pytest.mark.e2e


async def test_a_customer_lifecycle_over_http() -> None:
    app = new_app()
    customer_id = guid()
    with live_server(app) as url:
        async with sandbox(app, base_url=url) as sb:
            created = await sb.client.create_customer(
                CustomerCreate(customer_id=customer_id, first_name="Live")
            )
            updated = await sb.client.update_customer(
                customer_id, CustomerUpdate(external_status="active")
            )
            first = await sb.client.track_action(
                ActionEvent(event_id=guid(), customer_id=customer_id, name_space="Customer.Review")
            )
            again = await sb.client.track_action(
                ActionEvent(
                    event_id=first.event_id, customer_id=customer_id, name_space="Customer.Review"
                )
            )
            balance = await sb.client.get_balance(customer_id)
    assert (created.first_name, updated.external_status) == ("Live", "active")
    assert (first.is_existing, again.is_existing) == (False, True)
    assert balance.amount == 25

"""What goes on the wire: encodings, exact parameter casing, flattening, the apiKey header."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.types import Receive, Scope, Send

from tests.clients.omnidesk.support import ACME, NO_RETRY, config
from vendors.http import build_async_client
from vendors.omnidesk import (
    ChannelInput,
    CustomerChanges,
    ExternalEvent,
    NewChannels,
    NewCustomer,
    OmnideskClient,
    omnidesk_http,
)
from vendors.omnidesk.form_bodies import USUAL_MULTIPART

BRAND = str(ACME.omnidesk_brand_id)
#: satisfies every response model, so any operation can be called against the recorder
ANY_BODY = {"type": "items", "itemStart": 0, "itemTotal": 0, "itemLimit": 15, "items": []}


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, str]
    media_type: str
    form: dict[str, str]
    api_key: str | None


class Recorder:
    """An ASGI app that records each request as the vendor's PHP would parse it."""

    def __init__(self) -> None:
        self.seen: list[Seen] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope, receive)
        media_type = request.headers.get("content-type", "").split(";")[0]
        form = {k: str(v) for k, v in (await request.form()).items()} if media_type else {}
        self.seen.append(
            Seen(
                request.method,
                request.url.path,
                dict(request.query_params),
                media_type,
                form,
                request.headers.get("apiKey"),
            )
        )
        await JSONResponse(ANY_BODY)(scope, receive, send)

    @property
    def last(self) -> Seen:
        return self.seen[-1]


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
async def omnidesk(recorder: Recorder) -> AsyncIterator[OmnideskClient]:
    client = build_async_client(transport=httpx.ASGITransport(app=recorder))
    yield OmnideskClient(omnidesk_http(client, NO_RETRY), config(ACME))
    await client.aclose()


async def test_every_request_carries_the_api_key_header(
    omnidesk: OmnideskClient, recorder: Recorder
) -> None:
    await omnidesk.list_customers()

    assert recorder.last.api_key == ACME.omnidesk_api_key
    assert "apiKey" not in recorder.last.query


async def test_index_paging_goes_in_the_query(omnidesk: OmnideskClient, recorder: Recorder) -> None:
    await omnidesk.list_customers(query="anna", item_start=30, item_limit=15)

    assert (recorder.last.method, recorder.last.path) == ("GET", "/api/v2/customer")
    assert recorder.last.query == {"query": "anna", "itemStart": "30", "itemLimit": "15"}


async def test_post_index_is_multipart_with_snake_case_and_custom_fields(
    omnidesk: OmnideskClient, recorder: Recorder
) -> None:
    await omnidesk.create_customer(
        NewCustomer(
            primary_id="p-1",
            firstname="Anna",
            channel_id="email",
            customer_link_channel="anna@example.com",
            custom_fields={"tier": "gold"},
        )
    )

    seen = recorder.last
    assert (seen.method, seen.path, seen.media_type) == (
        "POST",
        "/api/v2/customer",
        "multipart/form-data",
    )
    assert seen.form == {
        "channel_id": "email",
        "customer_link_channel": "anna@example.com",
        "brand_id": BRAND,
        "primary_id": "p-1",
        "firstname": "Anna",
        "custom_tier": "gold",
    }


async def test_put_item_is_urlencoded_with_channel_pairs(
    omnidesk: OmnideskClient, recorder: Recorder
) -> None:
    changes = CustomerChanges(
        lastname="Bos",
        custom_fields={"city": "Delft"},
        channels=[ChannelInput(type="email", value="a@b.nl"), ChannelInput(type=2, value="+316")],
    )

    await omnidesk.update_customer(42, changes, brand_id=11)

    seen = recorder.last
    assert (seen.method, seen.path, seen.media_type) == (
        "PUT",
        "/api/v2/customer/42",
        "application/x-www-form-urlencoded",
    )
    assert seen.form == {
        "brandID": "11",
        "lastname": "Bos",
        "custom_city": "Delft",
        "customerChannelType_0": "email",
        "customerChannelValue_0": "a@b.nl",
        "customerChannelType_1": "2",
        "customerChannelValue_1": "+316",
    }


async def test_update_customer_sends_only_what_is_set(
    omnidesk: OmnideskClient, recorder: Recorder
) -> None:
    await omnidesk.update_customer_by_external_id("p-1", CustomerChanges(firstname=""))

    assert recorder.last.path == "/api/v2/customer/updateCustomer"
    assert recorder.last.form == {"externalPrimaryID": "p-1", "brandID": BRAND, "firstname": ""}


async def test_searches_are_multipart(omnidesk: OmnideskClient, recorder: Recorder) -> None:
    await omnidesk.search_by_primary_external_id("p-3")
    await omnidesk.search_by_customer_channel_value("a@b.nl")

    first, second = recorder.seen
    assert (first.path, first.media_type, first.form) == (
        "/api/v2/customer/SearchByPrimaryExternalID",
        "multipart/form-data",
        {"primary_id": "p-3", "brand_id": BRAND},
    )
    assert (second.path, second.form) == (
        "/api/v2/customer/SearchByCustomerChannelValue",
        {"customerChannelValue": "a@b.nl", "brand_id": BRAND},
    )


async def test_add_channel_only_fields(omnidesk: OmnideskClient, recorder: Recorder) -> None:
    await omnidesk.add_channel_only(
        NewChannels(telephone="+316", facebook="1"), customer_id=5, no_sync=True
    )

    assert recorder.last.form == {
        "customer_id": "5",
        "extra_telephone": "+316",
        "extra_facebook": "1",
        "noSync": "1",
    }


async def test_delete_parameters_go_in_the_query_and_the_body(
    omnidesk: OmnideskClient, recorder: Recorder
) -> None:
    await omnidesk.purge_customer_data(primary_id="p-4")

    seen = recorder.last
    expected = {"primary_id": "p-4", "brand_id": BRAND}
    assert (seen.method, seen.path) == ("DELETE", "/api/v2/customer/purgeData")
    assert seen.query == expected
    assert (seen.media_type, seen.form) == ("application/x-www-form-urlencoded", expected)


async def test_delete_channel_uses_the_path_form(
    omnidesk: OmnideskClient, recorder: Recorder
) -> None:
    await omnidesk.delete_channel(5, 9)

    assert (recorder.last.method, recorder.last.path) == ("DELETE", "/api/v2/customer/5/channel/9")


async def test_timeline_flag_and_casing(omnidesk: OmnideskClient, recorder: Recorder) -> None:
    await omnidesk.get_timeline("p-5")
    await omnidesk.get_timeline("p-5", include_tickets=True)

    plain, with_tickets = recorder.seen
    assert plain.query == {"brand_id": BRAND, "external_id": "p-5"}
    assert with_tickets.query == {"brand_id": BRAND, "external_id": "p-5", "getTicketHistory": "1"}


async def test_external_event_and_crm_sync_fields(
    omnidesk: OmnideskClient, recorder: Recorder
) -> None:
    await omnidesk.add_external_event(
        ExternalEvent(message="m", source_url="https://x.nl"), customer_id=3
    )
    await omnidesk.sync_with_crm("+316", channel="phoneNumber")

    event, sync = recorder.seen
    assert event.form == {"customer_id": "3", "message": "m", "source_url": "https://x.nl"}
    assert (sync.path, sync.media_type) == ("/api/v2/customer/syncWithCRM", "multipart/form-data")
    assert sync.form == {"brandID": BRAND, "channel": "phoneNumber", "address": "+316"}


async def test_a_write_by_external_id_goes_with_the_brand_one_by_omnidesk_id_needs_none(
    omnidesk: OmnideskClient, recorder: Recorder
) -> None:
    """The same rule for the three writes that take either id: an external id is only unique
    within a brand, so it carries the tenant's brand (or the one given)."""
    event = ExternalEvent(message="m")
    channels = NewChannels(email="a@example.com")
    await omnidesk.add_external_event(event, external_id="p-5")
    await omnidesk.add_channel_only(channels, primary_id="p-5")
    await omnidesk.purge_customer_data(primary_id="p-5")
    await omnidesk.add_external_event(event, customer_id=3)
    await omnidesk.add_channel_only(channels, customer_id=3)
    await omnidesk.purge_customer_data(customer_id=3)
    await omnidesk.add_channel_only(channels, primary_id="p-5", brand_id=9)

    brands = [r.form.get("brand_id") for r in recorder.seen]
    assert brands == [BRAND, BRAND, BRAND, None, None, None, "9"]


async def test_a_base_url_with_the_api_prefix_is_accepted(recorder: Recorder) -> None:
    cfg = config(ACME, base_url="http://omnidesk.test/api/v2/")
    async with build_async_client(transport=httpx.ASGITransport(app=recorder)) as client:
        await OmnideskClient(omnidesk_http(client, NO_RETRY), cfg).list_customers()

    assert recorder.last.path == "/api/v2/customer"


async def test_a_value_holding_the_boundary_gets_its_own_and_nothing_is_kept_for_it(
    omnidesk: OmnideskClient, recorder: Recorder
) -> None:
    """A client lives as long as its tenant's configuration: the headers of a random
    boundary (a value contained the usual one) must not pile up in it."""
    usual = USUAL_MULTIPART.split("boundary=")[1]
    for n in range(3):
        await omnidesk.add_external_event(ExternalEvent(message=f"{usual} {n}"), customer_id=3)
    await omnidesk.add_external_event(ExternalEvent(message="plain"), customer_id=3)

    kinds = [r.media_type for r in recorder.seen]
    assert [r.form["message"] for r in recorder.seen] == [
        f"{usual} 0",
        f"{usual} 1",
        f"{usual} 2",
        "plain",
    ]
    assert kinds == ["multipart/form-data"] * 4
    assert list(omnidesk._multipart_headers) == [USUAL_MULTIPART]

"""409 for overlapping requests on one session or one profile (docs/vendors/talon.md §3.3)."""

from __future__ import annotations

import asyncio

import httpx

from tests.sandbox.talon.helpers import CART, session_body


async def _slow(anon: httpx.AsyncClient, **settings: object) -> None:
    response = await anon.put(
        "/_sandbox/talon/settings", json={"processing_delay_ms": 150, **settings}
    )
    assert response.status_code == 200


async def test_overlapping_updates_of_one_session(
    client: httpx.AsyncClient, anon: httpx.AsyncClient
) -> None:
    await _slow(anon)
    await anon.delete("/_sandbox/counters")
    body = session_body(profileId="race-customer", cartItems=CART)

    first, second = await asyncio.gather(
        client.put("/v2/customer_sessions/race-1", json=body),
        client.put("/v2/customer_sessions/race-1", json=body),
    )
    counters = (await anon.get("/_sandbox/counters")).json()

    assert sorted([first.status_code, second.status_code]) == [200, 409]
    loser = first if first.status_code == 409 else second
    assert set(loser.json()) == {"message"}
    assert counters["endpoints"] == {"PUT /v2/customer_sessions/{customerSessionId}": 2}
    assert counters["statuses"] == {"200": 1, "409": 1}


async def test_different_sessions_do_not_conflict(
    client: httpx.AsyncClient, anon: httpx.AsyncClient
) -> None:
    await _slow(anon)
    body = session_body(profileId="race-customer", cartItems=CART)

    responses = await asyncio.gather(
        client.put("/v2/customer_sessions/race-a", json=body),
        client.put("/v2/customer_sessions/race-b", json=body),
    )

    assert [r.status_code for r in responses] == [200, 200]


async def test_overlapping_profile_and_event_calls(
    client: httpx.AsyncClient, anon: httpx.AsyncClient
) -> None:
    await _slow(anon)

    profile, event, session = await asyncio.gather(
        client.put("/v2/customer_profiles/race-profile", json={"attributes": {"City": "Utrecht"}}),
        client.post("/v2/events", json={"profileId": "race-profile", "type": "app_opened"}),
        client.put("/v2/customer_sessions/race-c", json=session_body(profileId="race-profile")),
    )

    assert sorted([profile.status_code, event.status_code]) in ([200, 409], [204, 409])
    assert session.status_code == 200  # sessions hold the session lock, not the profile's


async def test_the_same_session_later_is_fine(
    client: httpx.AsyncClient, anon: httpx.AsyncClient
) -> None:
    await _slow(anon)
    body = session_body(profileId="race-customer", cartItems=CART)

    first = await client.put("/v2/customer_sessions/race-d", json=body)
    second = await client.put("/v2/customer_sessions/race-d", json=body)

    assert (first.status_code, second.status_code) == (200, 200)


async def test_overlaps_can_queue_instead(
    client: httpx.AsyncClient, anon: httpx.AsyncClient
) -> None:
    await _slow(anon, conflict_on_overlap=False)
    body = session_body(["customerSession"], profileId="race-customer", cartItems=CART)

    first, second = await asyncio.gather(
        client.put("/v2/customer_sessions/race-e", json=body),
        client.put("/v2/customer_sessions/race-e", json=body),
    )

    assert (first.status_code, second.status_code) == (200, 200)
    counts = sorted(r.json()["customerSession"]["updateCount"] for r in (first, second))
    assert counts == [1, 2]


async def test_settings_reject_unknown_fields(anon: httpx.AsyncClient) -> None:
    response = await anon.put("/_sandbox/talon/settings", json={"no_such_option": 1})
    current = await anon.get("/_sandbox/talon/settings")

    assert response.status_code == 400
    assert response.json()["errors"][0]["source"] == {"pointer": "/no_such_option"}
    assert current.json()["processing_delay_ms"] == 0

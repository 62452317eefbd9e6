"""The idempotency store and one keyed attempt, without GraphQL."""

from __future__ import annotations

import pytest

from gateway.errors import BadUserInputError, ConflictError
from gateway.idempotency import (
    IdempotencyRecord,
    InMemoryIdempotencyStore,
    fingerprint,
    idempotent_attempt,
)


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


async def test_records_are_per_tenant_and_expire() -> None:
    clock = Clock()
    store = InMemoryIdempotencyStore(record_seconds=60, timer=clock)
    record = IdempotencyRecord("op", "digest", {"talon": "SUCCEEDED"})

    await store.put("acme", "k", record)

    assert await store.get("acme", "k") == record
    assert await store.get("globex", "k") is None
    clock.now = 61
    assert await store.get("acme", "k") is None


async def test_the_store_is_bounded() -> None:
    store = InMemoryIdempotencyStore(max_records=2)
    for key in ("a", "b", "c"):
        await store.put("acme", key, IdempotencyRecord("op", key))

    kept = [await store.get("acme", key) for key in ("a", "b", "c")]

    assert sum(r is not None for r in kept) == 2


async def test_a_claim_holds_the_key_until_released() -> None:
    store = InMemoryIdempotencyStore()

    assert await store.claim("acme", "k") is True
    assert await store.claim("acme", "k") is False
    assert await store.claim("globex", "k") is True
    await store.release("acme", "k")
    assert await store.claim("acme", "k") is True


def test_the_fingerprint_ignores_key_order_but_not_values() -> None:
    assert fingerprint("op", {"a": 1, "b": {"c": 2, "d": 3}}) == fingerprint(
        "op", {"b": {"d": 3, "c": 2}, "a": 1}
    )
    assert fingerprint("op", {"a": 1}) != fingerprint("op", {"a": 2})
    assert fingerprint("op", {"a": 1}) != fingerprint("other", {"a": 1})


async def test_an_attempt_saves_what_completed_even_when_a_vendor_failed() -> None:
    store = InMemoryIdempotencyStore()

    async with idempotent_attempt(store, "acme", "k", "op", "d1") as first:
        assert first.retrying is False
        first.complete("tallymarks", "SUCCEEDED")

    async with idempotent_attempt(store, "acme", "k", "op", "d1") as second:
        assert second.retrying is True
        assert second.done_before("tallymarks")
        assert not second.done_before("talon")
        second.complete("talon", "SUCCEEDED")

    saved = await store.get("acme", "k")
    assert saved is not None
    assert dict(saved.completed) == {"tallymarks": "SUCCEEDED", "talon": "SUCCEEDED"}


async def test_an_attempt_refuses_another_input_a_running_key_and_a_bad_key() -> None:
    store = InMemoryIdempotencyStore()
    async with idempotent_attempt(store, "acme", "k", "op", "d1"):
        with pytest.raises(ConflictError):
            async with idempotent_attempt(store, "acme", "k", "op", "d1"):
                pass

    with pytest.raises(BadUserInputError) as other:
        async with idempotent_attempt(store, "acme", "k", "op", "d2"):
            pass
    with pytest.raises(BadUserInputError):
        async with idempotent_attempt(store, "acme", " ", "op", "d1"):
            pass

    assert other.value.extensions == {"argument": "idempotencyKey"}
    assert await store.claim("acme", "k") is True  # released after the refusal

"""The APQ store: bounded in process, or plugged in by name."""

from __future__ import annotations

import pytest

from gateway.persisted.memory_store import InMemoryPersistedQueryStore
from gateway.persisted.store import PersistedQueryStore, build_store
from gateway.settings import GatewaySettings


async def test_the_in_process_store_forgets_the_least_recently_used() -> None:
    store = InMemoryPersistedQueryStore(max_entries=2)
    await store.set("a", "{ a }")
    await store.set("b", "{ b }")
    await store.get("a")

    await store.set("c", "{ c }")

    assert [await store.get(h) for h in "abc"] == ["{ a }", None, "{ c }"]
    assert len(store) == 2


def test_memory_is_the_default_store() -> None:
    store = build_store(GatewaySettings(_env_file=None, apq_store_max_entries=7))

    assert isinstance(store, InMemoryPersistedQueryStore)
    assert isinstance(store, PersistedQueryStore)


@pytest.mark.parametrize("spec", ["redis", "gateway.persisted.store:"])
def test_an_unknown_store_name_is_refused(spec: str) -> None:
    with pytest.raises(ValueError, match="CG_APQ_STORE"):
        build_store(GatewaySettings(_env_file=None, apq_store=spec))


def test_a_factory_must_return_a_store() -> None:
    with pytest.raises(TypeError, match="get"):
        build_store(GatewaySettings(_env_file=None, apq_store="builtins:dict"))

"""Where automatic persisted queries are kept: one tiny interface, an in-process store now.

With the shared tier configured (``CG_REDIS__URL``) the ``memory`` store is backed by Redis,
so every replica knows every registered document. Another store plugs in through
``CG_APQ_STORE`` as ``"package.module:factory"``, a callable taking the settings.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from gateway.persisted.memory_store import DEFAULT_MAX_BYTES, InMemoryPersistedQueryStore

if TYPE_CHECKING:
    from cache.shared.redis_link import RedisLink
    from gateway.settings import GatewaySettings

__all__ = [
    "DEFAULT_MAX_BYTES",
    "InMemoryPersistedQueryStore",
    "PersistedQueryStore",
    "build_store",
]

MEMORY = "memory"


@runtime_checkable
class PersistedQueryStore(Protocol):
    """Query documents by the sha256 hash (hex) of their text."""

    async def get(self, sha256_hash: str) -> str | None: ...

    async def set(self, sha256_hash: str, query: str) -> None: ...


def build_store(settings: GatewaySettings, redis: RedisLink | None = None) -> PersistedQueryStore:
    """The store ``settings.apq_store`` names: ``"memory"`` (shared through ``redis`` when
    given) or ``"module:factory"``."""
    spec = settings.apq_store
    if spec == MEMORY:
        if redis is not None:
            from gateway.shared_tier.apq_store import SharedPersistedQueryStore

            return SharedPersistedQueryStore(
                redis, settings.apq_store_max_entries, settings.apq_store_max_bytes
            )
        return InMemoryPersistedQueryStore(
            settings.apq_store_max_entries, settings.apq_store_max_bytes
        )
    module_name, _, attribute = spec.partition(":")
    if not module_name or not attribute:
        raise ValueError(f"CG_APQ_STORE must be {MEMORY!r} or 'module:factory', not {spec!r}")
    factory: Callable[[GatewaySettings], object] = getattr(
        importlib.import_module(module_name), attribute
    )
    store = factory(settings)
    if not isinstance(store, PersistedQueryStore):
        raise TypeError(f"{spec} did not return a store with async get() and set()")
    return store

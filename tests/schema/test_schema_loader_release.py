"""Once the answer has left, the request's loaders let go of what they read: reference
counting frees it at once instead of a garbage collection finding the cycle (each loader
and the registry refer to each other) with every vendor model inside."""

from __future__ import annotations

import gc

from gateway.settings import DEFAULT_TTLS
from resolvers.loaders.base import LoaderScope
from resolvers.loaders.registry import Loaders
from tests.schema.gateway_harness import harness, patient_settings
from vendors.tallymarks.reads import BALANCE

PAGE = """query($first: Int!) { customers(first: $first) { edges { node {
  customerId displayName pointsBalance { points } segments { __typename id } } } } }"""


async def _cyclic_garbage_of_one_page() -> int:
    settings = patient_settings(cache_ttls=dict.fromkeys(DEFAULT_TTLS, 0.0), response_cache=False)
    async with harness(settings) as gw:
        await gw.query(PAGE, {"first": 50})  # imports, pools, first-use caches
        gc.collect()
        found: list[int] = []
        for _ in range(3):
            body = await gw.query(PAGE, {"first": 50})
            assert "errors" not in body
            found.append(gc.collect())
        return sorted(found)[1]


async def test_a_page_leaves_little_for_the_garbage_collector() -> None:
    # before the loaders were released, a page of 50 left ~1,500 objects in cycles
    assert await _cyclic_garbage_of_one_page() < 700


async def test_releasing_empties_every_loader_and_the_registry() -> None:
    # priming needs none of the scope's parts
    loaders = Loaders(LoaderScope(cache=None, clients=lambda: None, tracing=None))  # type: ignore[arg-type]
    loader = loaders.read(BALANCE)
    loader.prime("c1", None)

    loaders.release()

    assert loaders.read(BALANCE) is not loader  # a new one: nothing kept
    assert not loader._cache  # what it read is gone

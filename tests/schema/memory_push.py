"""Pushes distinct APQ documents at a gateway built in this process and prints its resident
memory before and after, as JSON on stdout. ``test_schema_memory_bounds`` runs it in a
subprocess, so the test runner's own heap does not blur the figures.

``--app-count`` registrations go through the real ASGI app (HTTP, limits, parse,
validation, execution, response cache, APQ store); ``--store-count`` more go through the
app's own persisted-operations object (the same resolve-then-register path, without HTTP
and parsing, which is what makes a 1 GB push fit in seconds)::

    python -m tests.schema.memory_push --app-count 350 --app-size 900000
    python -m tests.schema.memory_push --app-count 300 --app-size 90000 \\
        --store-count 10000 --store-size 100000
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import hashlib
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from gateway.persisted.errors import PersistedOperationError
from gateway.persisted.memory_store import InMemoryPersistedQueryStore
from gateway.persisted.operations import PersistedOperations
from tests.schema.gateway_harness import harness


def rss_mb() -> float:
    status = Path("/proc/self/status").read_text()
    found = re.search(r"VmRSS:\s+(\d+)\s+kB", status)
    assert found is not None
    return int(found.group(1)) / 1024


def document(i: int, size: int) -> str:
    """A valid, distinct document of ``size`` characters (a comment pads it: few tokens)."""
    head = f"{{ __typename }}\n# {i:010d} "
    return head + "x" * max(0, size - len(head))


def registration(text: str) -> dict[str, Any]:
    digest = hashlib.sha256(text.encode()).hexdigest()
    return {"query": text, "extensions": {"persistedQuery": {"version": 1, "sha256Hash": digest}}}


async def push(args: argparse.Namespace) -> dict[str, Any]:
    async with harness() as gw:
        warm = await gw.client.post(
            "/graphql", json=registration(document(-1, 200)), headers={"x-api-key": gw.key}
        )
        assert warm.status_code == 200, warm.text
        gc.collect()
        before = rss_mb()
        outcomes: Counter[str] = Counter()
        for i in range(args.app_count):
            response = await gw.client.post(
                "/graphql",
                json=registration(document(i, args.app_size)),
                headers={"x-api-key": gw.key},
            )
            body = response.json()
            codes = [e.get("extensions", {}).get("code") for e in body.get("errors") or []]
            outcomes[f"app {response.status_code} {codes[0] if codes else 'ok'}"] += 1
        operations: PersistedOperations = getattr(gw.gateway.state, "persisted", None) or (
            PersistedOperations.from_settings(gw.gateway.state.services.settings)
        )
        for i in range(args.store_count):
            payload = registration(document(args.app_count + i, args.store_size))
            try:
                resolved = await operations.resolve(payload["query"], payload["extensions"])
            except PersistedOperationError as refused:
                outcomes[f"store {refused.code}"] += 1
                continue
            assert resolved is not None
            await operations.ran_cleanly(resolved)
            outcomes["store ok"] += 1
        gc.collect()
        after = rss_mb()
        held = held_bytes(gw.gateway, operations)
    return {
        "rss_before_mb": round(before, 1),
        "rss_after_mb": round(after, 1),
        "growth_mb": round(after - before, 1),
        "pushed_mb": round(
            (args.app_count * args.app_size + args.store_count * args.store_size) / 2**20, 1
        ),
        "outcomes": dict(outcomes),
        "held_mb": {name: round(size / 2**20, 1) for name, size in held.items()},
        "apq_documents": len(apq_store(operations)),
    }


def apq_store(operations: PersistedOperations) -> InMemoryPersistedQueryStore:
    assert operations.apq is not None, "APQ is switched off"
    store = operations.apq.store
    assert isinstance(store, InMemoryPersistedQueryStore), type(store)
    return store


def held_bytes(app: FastAPI, operations: PersistedOperations) -> dict[str, int]:
    """What each bounded store says it holds (its own estimate)."""
    services = app.state.services
    responses = services.cache.responses
    return {
        "apq": apq_store(operations).bytes,
        "documents": app.state.documents.bytes,
        "responses": responses.store.bytes if responses is not None else 0,
        "read_cache": services.cache.store.bytes,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--app-count", type=int, default=0)
    parser.add_argument("--app-size", type=int, default=90_000)
    parser.add_argument("--store-count", type=int, default=0)
    parser.add_argument("--store-size", type=int, default=100_000)
    print(json.dumps(asyncio.run(push(parser.parse_args()))))


if __name__ == "__main__":
    main()

"""Tells clients which data was served stale: ``extensions.stale`` lists the vendor reads the
gateway answered from its cache past their TTL because the vendor failed
(``GraphQLContext.stale_reads``). The data is there and no error is added; a client may show
it as "last known" and refresh later."""

from __future__ import annotations

from typing import Any

from strawberry.extensions import SchemaExtension

from cache import StaleRead
from gateway.context import GraphQLContext

__all__ = ["StaleMarkers", "stale_entries"]


def stale_entries(reads: list[StaleRead]) -> list[dict[str, Any]]:
    """One entry per vendor and resource kind, with the oldest age served (seconds)."""
    oldest: dict[tuple[str, str], float] = {}
    for read in reads:
        key = (read.vendor, read.kind)
        oldest[key] = max(oldest.get(key, 0.0), read.age)
    return [
        {"vendor": vendor, "resource": kind, "ageSeconds": round(age, 1)}
        for (vendor, kind), age in sorted(oldest.items())
    ]


class StaleMarkers(SchemaExtension):
    def get_results(self) -> dict[str, Any]:
        context = self.execution_context.context
        if not isinstance(context, GraphQLContext) or not context.stale_reads:
            return {}
        return {"stale": stale_entries(context.stale_reads)}

"""The Tallymarks loader that is not one declared read: customer summaries."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping

from resolvers.loaders.base import BatchLoader
from vendors.tallymarks import reads
from vendors.tallymarks.models import CustomerSummary

__all__ = ["CustomerSummaryByIdLoader"]


class CustomerSummaryByIdLoader(BatchLoader[str, CustomerSummary | None]):
    """The profile fields a search result already carries (names, e-mail, createdAt).

    Searches prime it with their results, so a list asking only for those fields makes no
    per-customer call; for anyone not primed it falls back to the full profile read
    (:data:`~vendors.tallymarks.reads.CUSTOMER`: a full profile is a summary too),
    sharing that loader's one call per customer.
    """

    vendor = reads.VENDOR

    async def fetch(self, keys: list[str]) -> Mapping[str, CustomerSummary | Exception | None]:
        full = self.loaders.read(reads.CUSTOMER)
        # not ``fan_out`` of cached calls: the profile loader batches and caches them itself
        found = await asyncio.gather(*(full.load(k) for k in keys), return_exceptions=True)
        out: dict[str, CustomerSummary | Exception | None] = {}
        for key, result in zip(keys, found, strict=True):
            if isinstance(result, BaseException) and not isinstance(result, Exception):
                raise result
            out[key] = result
        return out

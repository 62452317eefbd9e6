"""The Strawberry schema: types by domain, composed in :mod:`schema.root`."""

from __future__ import annotations

import strawberry
from strawberry.extensions import ParserCache, ValidationCache

from schema.errors_extension import GatewayErrors
from schema.root import Mutation, Query

__all__ = ["build_schema"]


def build_schema() -> strawberry.Schema:
    """The gateway's schema."""
    return strawberry.Schema(
        query=Query,
        mutation=Mutation,
        extensions=[
            # factories share Strawberry's module-level LRU caches (keyed by maxsize), so
            # parse and validation results outlive the operation that computed them
            lambda: ParserCache(maxsize=1024),
            lambda: ValidationCache(maxsize=1024),
            GatewayErrors,
        ],
    )

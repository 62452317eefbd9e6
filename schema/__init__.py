"""The Strawberry schema: types by domain, composed in :mod:`schema.root`."""

from __future__ import annotations

import strawberry
from strawberry.extensions import ParserCache, ValidationCache

from gateway import limits as query_limits
from gateway.limits import QueryLimits
from gateway.observability.extension import OperationTelemetry
from schema.errors_extension import GatewayErrors
from schema.invalidation_extension import PublishInvalidations
from schema.operation_type_extension import RecordOperationType
from schema.permissions import nullable_when_guarded
from schema.root import Mutation, Query
from schema.stale_extension import StaleMarkers

__all__ = ["build_schema"]


def build_schema(limits: QueryLimits | None = None) -> strawberry.Schema:
    """The gateway's schema, with the query limits (the defaults when not given)."""
    limits = limits or QueryLimits()
    nullable_when_guarded(Query, *([Mutation] if Mutation else []))
    return strawberry.Schema(
        query=Query,
        mutation=Mutation,
        extensions=[
            # first, so it times the whole operation and sees errors as clients will
            OperationTelemetry,
            # the token limit refuses a document before the parser cache parses it
            *query_limits.parse_extensions(limits),
            # factories share Strawberry's module-level LRU caches (keyed by maxsize), so
            # parse and validation results outlive the operation that computed them
            lambda: ParserCache(maxsize=1024),
            lambda: ValidationCache(maxsize=1024),
            *query_limits.extensions(limits),
            GatewayErrors,
            StaleMarkers,
            PublishInvalidations,
            RecordOperationType,
        ],
    )

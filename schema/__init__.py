"""The Strawberry schema: types by domain, composed in :mod:`schema.root`."""

from __future__ import annotations

import strawberry
from strawberry.schema.config import StrawberryConfig

from gateway import limits as query_limits
from gateway.limits import QueryLimits
from gateway.limits.document_memo import DocumentMemo
from gateway.observability.extension import OperationTelemetry
from schema.document_cache import CachedDocuments, DocumentCache
from schema.errors_extension import GatewayErrors, GatewaySchema
from schema.id_arguments_extension import IdArguments, IdPlan
from schema.incremental_extension import IncrementalDeliveryGate
from schema.invalidation_extension import PublishInvalidations
from schema.operation_choice_extension import RequireOperationChoice
from schema.operation_type_extension import RecordOperationType
from schema.permissions import nullable_when_guarded
from schema.root import Mutation, Query
from schema.stale_extension import StaleMarkers
from schema.string_length_extension import StringLengthLimit

__all__ = ["DocumentCache", "build_schema"]


def build_schema(
    limits: QueryLimits | None = None, documents: DocumentCache | None = None
) -> strawberry.Schema:
    """The gateway's schema, with the query limits and the cache of parsed documents (the
    defaults when not given; a cache serves one schema)."""
    limits = limits or QueryLimits()
    documents = documents if documents is not None else DocumentCache()
    nullable_when_guarded(Query, *([Mutation] if Mutation else []))
    id_plans: DocumentMemo[IdPlan | None] = DocumentMemo()  # per operation of a document
    return GatewaySchema(
        query=Query,
        mutation=Mutation,
        # @defer and @stream, answered as multipart/mixed (gateway.incremental)
        config=StrawberryConfig(enable_experimental_incremental_execution=True),
        extensions=[
            # first, so it times the whole operation and sees errors as clients will
            OperationTelemetry,
            # the token limit refuses a document before the parser cache parses it
            *query_limits.parse_extensions(limits),
            # parses and validation results outlive the operation that computed them, in
            # one cache bounded in entries and bytes (the text's size is the client's choice)
            lambda: CachedDocuments(documents),
            # as parsing ends: several operations need an operationName naming one of them
            RequireOperationChoice,
            *query_limits.extensions(limits),
            StringLengthLimit,
            # malformed ids (``..`` as a segment id) refused before any vendor is called
            lambda: IdArguments(id_plans),
            # @defer/@stream only for a client that reads multipart/mixed
            IncrementalDeliveryGate,
            GatewayErrors,
            StaleMarkers,
            PublishInvalidations,
            RecordOperationType,
        ],
    )

"""Persisted operations for mobile clients: Apollo's automatic persisted queries (APQ),
GraphQL-over-HTTP ``documentId`` requests, and a trusted-documents mode that runs only
the operations of a manifest."""

from gateway.persisted.apq import sha256_hex
from gateway.persisted.http import (
    PersistedRequestData,
    execute_persisted,
    names_persisted_document,
    names_persisted_operation,
    with_document_ids,
)
from gateway.persisted.operations import PersistedOperations
from gateway.persisted.store import InMemoryPersistedQueryStore, PersistedQueryStore
from gateway.persisted.trusted_documents import TrustedDocuments, build_manifest

__all__ = [
    "InMemoryPersistedQueryStore",
    "PersistedOperations",
    "PersistedQueryStore",
    "PersistedRequestData",
    "TrustedDocuments",
    "build_manifest",
    "execute_persisted",
    "names_persisted_document",
    "names_persisted_operation",
    "sha256_hex",
    "with_document_ids",
]

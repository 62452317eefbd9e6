"""Trusted documents: when a manifest is configured, only its operations run.

A manifest is either a JSON object ``{id: query}`` (ids are usually the sha256 of the
text) or the persisted-query manifest of ``@apollo/generate-persisted-query-manifest``::

    {"format": "apollo-persisted-query-manifest", "version": 1,
     "operations": [{"id": "<sha256>", "name": "Customer360", "type": "query", "body": "…"}]}

A request names an operation by its id (``extensions.persistedQuery.sha256Hash``) or sends
its exact text, which must hash (sha256) to a document of the manifest.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, Literal

from graphql import OperationDefinitionNode, parse
from pydantic import BaseModel, ConfigDict, RootModel, ValidationError

from gateway.persisted.apq import PersistedQueryRef, ResolvedDocument, sha256_hex
from gateway.persisted.document_id import DocumentId
from gateway.persisted.errors import PersistedQueryInvalidError, PersistedQueryNotAllowedError

__all__ = ["TrustedDocuments", "build_manifest"]

APOLLO_FORMAT = "apollo-persisted-query-manifest"


class ManifestOperation(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    body: str
    name: str | None = None
    type: Literal["query", "mutation", "subscription"] | None = None


class ApolloManifest(BaseModel):
    format: Literal["apollo-persisted-query-manifest"]
    version: Literal[1]
    operations: list[ManifestOperation]


class FlatManifest(RootModel[dict[str, str]]):
    """``{id: query}``."""


class TrustedDocuments:
    """The manifest's documents, found by id or by the sha256 of their text."""

    def __init__(self, documents: Mapping[str, str]) -> None:
        self._by_id = dict(documents)
        self._by_sha256 = {sha256_hex(body): body for body in documents.values()}

    def __len__(self) -> int:
        return len(self._by_id)

    @classmethod
    def from_file(cls, path: Path) -> TrustedDocuments:
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            return cls.from_manifest(raw)
        except (OSError, ValueError) as error:
            raise ValueError(f"trusted documents manifest {path}: {error}") from error

    @classmethod
    def from_manifest(cls, raw: Any) -> TrustedDocuments:
        """Either manifest form; raises ``ValueError`` (pydantic's) when it is neither."""
        try:
            if isinstance(raw, Mapping) and "operations" in raw and "format" in raw:
                manifest = ApolloManifest.model_validate(raw)
                return cls({op.id: op.body for op in manifest.operations})
            return cls(FlatManifest.model_validate(raw).root)
        except ValidationError as error:
            msg = f"not a persisted-query manifest ({error.error_count()} errors)"
            raise ValueError(msg) from error

    def resolve(self, query: str | None, ref: PersistedQueryRef | None) -> ResolvedDocument:
        """The manifest's document for this request, or ``PERSISTED_QUERY_NOT_ALLOWED``."""
        if query is None:
            document = self.document_for(ref.sha256_hash) if ref is not None else None
            if document is None:
                raise PersistedQueryNotAllowedError
            return ResolvedDocument(document)
        if sha256_hex(query) not in self._by_sha256:
            raise PersistedQueryNotAllowedError
        if ref is not None and self.document_for(ref.sha256_hash) != query:
            raise PersistedQueryInvalidError("provided sha does not match query")
        return ResolvedDocument(query)

    def document_for(self, id_or_hash: str) -> str | None:
        """The document with this manifest id, or whose text has this sha256."""
        return self._by_id.get(id_or_hash) or self._by_sha256.get(id_or_hash)

    def document_named(self, document_id: DocumentId) -> str | None:
        """The document a ``documentId`` names: ``sha256:<hex>`` by the hash of its text
        (what the proposal defines), a custom identifier by its manifest id."""
        if document_id.sha256 is not None:
            return self._by_sha256.get(document_id.sha256)
        return self._by_id.get(document_id.raw)


def build_manifest(operations: Iterable[str]) -> dict[str, Any]:
    """An Apollo-format manifest of these operation texts (ids are their sha256)."""
    entries = []
    for body in operations:
        operation = next(
            d for d in parse(body).definitions if isinstance(d, OperationDefinitionNode)
        )
        entries.append(
            {
                "id": sha256_hex(body),
                "name": operation.name.value if operation.name else None,
                "type": operation.operation.value,
                "body": body,
            }
        )
    return {"format": APOLLO_FORMAT, "version": 1, "operations": entries}

"""Parsed and validated documents kept across requests, in one LRU bounded by entries and by
estimated bytes (``CG_DOCUMENT_CACHE_MAX_ENTRIES``, ``CG_DOCUMENT_CACHE_MAX_BYTES``).

It replaces Strawberry's ``ParserCache`` and ``ValidationCache``, which bound only the
number of entries: a parsed document keeps its text and every token (~500 bytes each, the
tokens are linked from the syntax tree), so 1,024 documents of 5,000 tokens are ~2.8 GB,
and a 0.9 MB comment was held twice (the text and the comment token). One entry per text
holds the document and its validation errors per rule set, so no second cache keeps an
evicted document alive.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from graphql import DocumentNode, GraphQLError, GraphQLSchema, parse
from graphql.validation import ASTValidationRule
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document

from cache.bounded import BoundedLRU
from cache.sizing import ENTRY_OVERHEAD, MiB, text_size

__all__ = ["CachedDocuments", "DocumentCache", "document_size"]

#: heap bytes per token of a parsed document (tokens, nodes, locations: measured 390-560)
TOKEN_BYTES = 600
#: one kept validation error (message, locations, node references)
ERROR_BYTES = 1024
DEFAULT_MAX_ENTRIES = 1024
DEFAULT_MAX_BYTES = 64 * MiB

Rules = tuple[type[ASTValidationRule], ...]
Key = tuple[str, tuple[tuple[str, Any], ...]]


@dataclass(eq=False)
class ParsedDocument:
    key: Key
    document: DocumentNode
    size: int
    #: validation errors per rule set (one set per schema in practice)
    validated: dict[Rules, list[GraphQLError]] = field(default_factory=dict)


def document_size(query: str, document: DocumentNode) -> int:
    """The text (held by the key and by the document's source), once more for comment
    tokens' copies, and the tokens: counted along their chain, a pass far cheaper than the
    parse that just made them."""
    tokens = 0
    token = document.loc.start_token if document.loc is not None else None
    while token is not None:
        tokens += 1
        token = token.next
    if document.loc is None:
        tokens = len(query) // 2  # no chain to count: at most one token per two characters
    return ENTRY_OVERHEAD + 2 * text_size(query) + TOKEN_BYTES * tokens


class DocumentCache:
    """Documents by text and parse options; for one schema (validation results are
    kept per rule set, not per schema)."""

    def __init__(
        self, max_entries: int = DEFAULT_MAX_ENTRIES, max_bytes: int = DEFAULT_MAX_BYTES
    ) -> None:
        self._entries: BoundedLRU[Key, ParsedDocument] = BoundedLRU(
            max_entries, max_bytes, _entry_size
        )

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def bytes(self) -> int:
        return self._entries.bytes

    def parsed(self, query: str, options: Mapping[str, Any]) -> ParsedDocument:
        """The cached parse of ``query``, parsing (and keeping) it on a miss; a syntax
        error is raised, not kept."""
        key: Key = (query, tuple(sorted(options.items())))
        found = self._entries.get(key)
        if found is None:
            document = parse(query, **options)
            found = ParsedDocument(key, document, document_size(query, document))
            self._entries[key] = found
        return found

    def validation(
        self, parsed: ParsedDocument, schema: GraphQLSchema, rules: Rules
    ) -> list[GraphQLError]:
        """The validation errors of ``parsed`` under ``rules``, validating (and keeping
        them, their size counted in the entry's) the first time."""
        errors = parsed.validated.get(rules)
        if errors is None:
            errors = validate_document(schema, parsed.document, rules)
            parsed.validated[rules] = errors
            parsed.size += ENTRY_OVERHEAD + ERROR_BYTES * len(errors)
            if parsed.key in self._entries:
                self._entries[parsed.key] = parsed  # stored again: its new size is counted
        return errors


def _entry_size(entry: ParsedDocument) -> int:
    return entry.size


class CachedDocuments(SchemaExtension):
    """Takes the place of Strawberry's parser and validation caches in the extension list
    (after the length and token limits, which must refuse a text before it is parsed)."""

    def __init__(self, cache: DocumentCache) -> None:
        self.cache = cache
        self._parsed: ParsedDocument | None = None

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        if context.query:
            self._parsed = self.cache.parsed(context.query, context.parse_options)
            context.graphql_document = self._parsed.document
        yield

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        parsed = self._parsed
        if parsed is not None and parsed.document is context.graphql_document:
            rules = tuple(context.validation_rules)
            schema = context.schema._schema
            context.pre_execution_errors = self.cache.validation(parsed, schema, rules)
        yield

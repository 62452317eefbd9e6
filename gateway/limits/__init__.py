"""Query limits: what one request may ask of the gateway, each refused with its own
``extensions.code`` before any upstream call (see :mod:`gateway.limits.errors`).

The document limits are Strawberry extensions, in two groups by where they must sit in
the schema's extension list (:func:`schema.build_schema`):

- :func:`parse_extensions` come **before** the parser cache: the length and the token
  count refuse a document before anything lexes or parses it; the shape limits (fragment
  spreads, directives, selections once fragments are expanded, depth, aliases) refuse it
  once parsed, before validation, each measured in one linear pass
  (:mod:`.document_shape`), once per document (:mod:`.document_memo`);
- :func:`extensions` come after the validation cache: introspection as a validation rule
  (built once, so the validation cache keeps hitting), the cost on the validated
  document, and hidden suggestions.

The request limits (body size, one operation per request, execution timeout) are applied
by the HTTP layer, :mod:`gateway.http_compliance`, with :mod:`.body_size`, :mod:`.batch`
and :mod:`.timeout`.
"""

from __future__ import annotations

from collections.abc import Callable

from graphql import ValidationRule
from strawberry.extensions import AddValidationRules, SchemaExtension

from gateway.limits.config import QueryLimits
from gateway.limits.cost import CostLimit, CostPlan
from gateway.limits.document_memo import DocumentMemo
from gateway.limits.document_shape import DocumentShape
from gateway.limits.introspection import no_introspection_rule
from gateway.limits.length import QueryLength
from gateway.limits.shape_limits import ShapeLimits
from gateway.limits.suggestions import HideSuggestions
from gateway.limits.tokens import TokenLimit

__all__ = ["QueryLimits", "extensions", "parse_extensions"]

ExtensionFactory = Callable[[], SchemaExtension]


def parse_extensions(limits: QueryLimits) -> list[ExtensionFactory]:
    """Extensions that must run before the document is parsed (and, for the shape, as
    the parse step ends)."""
    shapes: DocumentMemo[DocumentShape] = DocumentMemo()  # one measure per document
    return [
        lambda: QueryLength(limits.max_query_length),
        lambda: TokenLimit(limits.max_tokens),
        lambda: ShapeLimits(limits, shapes),
    ]


def extensions(limits: QueryLimits) -> list[ExtensionFactory]:
    """Extensions checking the parsed document (after the validation cache)."""
    rules: list[type[ValidationRule]] = []
    if not limits.introspection:
        rules.append(no_introspection_rule())
    plans: DocumentMemo[CostPlan | None] = DocumentMemo()  # one cost plan per operation
    found: list[ExtensionFactory] = [
        lambda: AddValidationRules(list(rules)),
        lambda: CostLimit(limits.max_query_cost, limits.cost_default_list_size, plans),
    ]
    if not limits.field_suggestions:
        found.append(HideSuggestions)
    return found

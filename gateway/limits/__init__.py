"""Query limits: what one request may ask of the gateway, each refused with its own
``extensions.code`` before any upstream call (see :mod:`gateway.limits.errors`).

The document limits are Strawberry extensions, in two groups by where they must sit in
the schema's extension list (:func:`schema.build_schema`):

- :func:`parse_extensions` come **before** the parser cache: the
  token count must refuse a document before anything parses it;
- :func:`extensions` come after the validation cache: depth, aliases and introspection as
  validation rules (built once, so the validation cache keeps hitting), the cost on the
  validated document, and hidden suggestions.

The request limits (body size, one operation per request, execution timeout) are applied
by the HTTP layer, :mod:`gateway.http_compliance`, with :mod:`.body_size`, :mod:`.batch`
and :mod:`.timeout`.
"""

from __future__ import annotations

from collections.abc import Callable

from graphql import ValidationRule
from strawberry.extensions import AddValidationRules, SchemaExtension

from gateway.limits.aliases import aliases_rule
from gateway.limits.config import QueryLimits
from gateway.limits.cost import CostLimit
from gateway.limits.depth import depth_rule
from gateway.limits.introspection import no_introspection_rule
from gateway.limits.suggestions import HideSuggestions
from gateway.limits.tokens import TokenLimit

__all__ = ["QueryLimits", "extensions", "parse_extensions"]

ExtensionFactory = Callable[[], SchemaExtension]


def parse_extensions(limits: QueryLimits) -> list[ExtensionFactory]:
    """Extensions that must run before the document is parsed."""
    return [lambda: TokenLimit(limits.max_tokens)]


def extensions(limits: QueryLimits) -> list[ExtensionFactory]:
    """Extensions checking the parsed document (after the validation cache)."""
    rules: list[type[ValidationRule]] = [
        depth_rule(limits.max_depth),
        aliases_rule(limits.max_aliases),
    ]
    if not limits.introspection:
        rules.append(no_introspection_rule())
    found: list[ExtensionFactory] = [
        lambda: AddValidationRules(list(rules)),
        lambda: CostLimit(limits.max_cost, limits.default_list_size),
    ]
    if not limits.field_suggestions:
        found.append(HideSuggestions)
    return found

"""The limits on a document's shape (:mod:`.document_shape`), checked once it is parsed
and before it is validated, so no validation rule, cost walk or prefetch planning ever
sees a document that expands beyond them:

- fragment spreads and directives written in the document (``TOO_MANY_FRAGMENT_SPREADS``,
  ``TOO_MANY_DIRECTIVES``): validation compares fragments pairwise and reports each
  repeated directive, so both cost more than their share of the token limit;
- field selections once every spread is expanded (``TOO_MANY_SELECTIONS``): fragments may
  not multiply a document beyond what it could spell out;
- depth and aliases (``QUERY_TOO_DEEP``, ``TOO_MANY_ALIASES``).

All come from one linear measure of the document, whatever its fragments do.
"""

from __future__ import annotations

from collections.abc import Iterator

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from gateway.limits.aliases import aliases_error
from gateway.limits.config import QueryLimits
from gateway.limits.depth import depth_error
from gateway.limits.document_shape import DocumentShape, measure_document
from gateway.limits.errors import (
    TOO_MANY_DIRECTIVES,
    TOO_MANY_FRAGMENT_SPREADS,
    TOO_MANY_SELECTIONS,
    limit_error,
)

__all__ = ["ShapeLimits", "shape_error"]


def shape_error(shape: DocumentShape, limits: QueryLimits) -> GraphQLError | None:
    """The first limit ``shape`` is over, as the error refusing it."""
    if shape.spreads > limits.max_fragment_spreads:
        return limit_error(
            f"The document has {shape.spreads} fragment spreads "
            f"(at most {limits.max_fragment_spreads}).",
            TOO_MANY_FRAGMENT_SPREADS,
            fragmentSpreads=shape.spreads,
            maxFragmentSpreads=limits.max_fragment_spreads,
        )
    if shape.directives > limits.max_directives:
        return limit_error(
            f"The document has {shape.directives} directives (at most {limits.max_directives}).",
            TOO_MANY_DIRECTIVES,
            directives=shape.directives,
            maxDirectives=limits.max_directives,
        )
    if shape.selections > limits.max_selections:
        return limit_error(
            f"The document selects {shape.selections} fields once its fragments are expanded "
            f"(at most {limits.max_selections}).",
            TOO_MANY_SELECTIONS,
            selections=shape.selections,
            maxSelections=limits.max_selections,
        )
    return depth_error(shape, limits.max_query_depth) or aliases_error(shape, limits.max_aliases)


class ShapeLimits(SchemaExtension):
    """Checks the parsed document as the parse step ends (whether the parser cache or
    Strawberry parsed it), before the operation type is read or validation starts."""

    def __init__(self, limits: QueryLimits) -> None:
        self.limits = limits

    def on_parse(self) -> Iterator[None]:
        yield
        document = self.execution_context.graphql_document
        if document is None:
            return
        error = shape_error(measure_document(document), self.limits)
        if error is not None:
            raise error

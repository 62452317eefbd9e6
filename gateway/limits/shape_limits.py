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
from typing import Any

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from gateway.limits.aliases import aliases_error
from gateway.limits.config import QueryLimits
from gateway.limits.depth import depth_error
from gateway.limits.document_memo import DocumentMemo
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
    return (
        _over(
            "fragmentSpreads",
            shape.spreads,
            limits.max_fragment_spreads,
            TOO_MANY_FRAGMENT_SPREADS,
            "has {} fragment spreads",
        )
        or _over(
            "directives",
            shape.directives,
            limits.max_directives,
            TOO_MANY_DIRECTIVES,
            "has {} directives",
        )
        or _over(
            "selections",
            shape.selections,
            limits.max_selections,
            TOO_MANY_SELECTIONS,
            "selects {} fields once its fragments are expanded",
        )
        or depth_error(shape, limits.max_query_depth)
        or aliases_error(shape, limits.max_aliases)
    )


def _over(name: str, count: int, most: int, code: str, says: str) -> GraphQLError | None:
    """The refusal of ``count`` over ``most``: the message (``says`` with the count) and
    the extensions ``name`` and ``maxName`` give both numbers."""
    if count <= most:
        return None
    numbers: dict[str, Any] = {name: count, f"max{name[0].upper()}{name[1:]}": most}
    return limit_error(f"The document {says.format(count)} (at most {most}).", code, **numbers)


class ShapeLimits(SchemaExtension):
    """Checks the parsed document as the parse step ends (whether the parser cache or
    Strawberry parsed it), before the operation type is read or validation starts. A
    document is measured once (``shapes``, kept beside the parsed document); the error is
    made anew for each request refused."""

    def __init__(self, limits: QueryLimits, shapes: DocumentMemo[DocumentShape]) -> None:
        self.limits = limits
        self.shapes = shapes

    def on_parse(self) -> Iterator[None]:
        yield
        document = self.execution_context.graphql_document
        if document is None:
            return
        shape = self.shapes.value(document, None, lambda: measure_document(document))
        error = shape_error(shape, self.limits)
        if error is not None:
            raise error

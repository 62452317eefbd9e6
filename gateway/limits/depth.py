"""Depth: how deeply fields nest below a root field, measured with fragments expanded
(:mod:`.document_shape`, linear in the document). Introspection fields are not counted,
so GraphiQL's schema query passes at any limit.

Strawberry's ``QueryDepthLimiter`` follows every spread anew, so a chain of fragments each
spreading the previous one twice took seconds; this check never expands a fragment twice.
"""

from __future__ import annotations

from graphql import GraphQLError

from gateway.limits.document_shape import DocumentShape
from gateway.limits.errors import QUERY_TOO_DEEP, limit_error

__all__ = ["depth_error"]


def depth_error(shape: DocumentShape, max_depth: int) -> GraphQLError | None:
    """The refusal of the first operation nested deeper than ``max_depth`` fields."""
    for operation in shape.operations:
        if operation.measure.depth > max_depth:
            return limit_error(
                f"'{operation.label}' exceeds maximum operation depth of {max_depth}",
                QUERY_TOO_DEEP,
                nodes=[operation.node],
                maxDepth=max_depth,
            )
    return None

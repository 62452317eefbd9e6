"""A GraphQL error rewritten where it stands: a new message, new extensions or no cause,
with its nodes, source, positions and path kept, so the client still sees where it was.

The error formatter, the limits' codes and the hidden suggestions all rewrite errors; this
is the one place that knows which parts of a :class:`GraphQLError` say "where".
"""

from __future__ import annotations

from typing import Any

from graphql import GraphQLError

__all__ = ["rewritten"]


def rewritten(
    error: GraphQLError,
    *,
    message: str | None = None,
    extensions: dict[str, Any] | None = None,
    drop_cause: bool = False,
) -> GraphQLError:
    """``error`` with ``message`` and/or ``extensions`` replaced (``None`` keeps them);
    ``drop_cause`` leaves out the original exception, so nothing of it can leak."""
    return GraphQLError(
        error.message if message is None else message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        original_error=None if drop_cause else error.original_error,
        extensions=error.extensions if extensions is None else extensions,
    )

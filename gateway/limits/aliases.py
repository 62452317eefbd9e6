"""Aliases: how many aliased fields a document's operations have, fragments expanded
(:mod:`.document_shape`). Aliases are how one request asks the same field many times,
e.g. ``a1: customer(id: …) a2: customer(id: …) …``.
"""

from __future__ import annotations

from graphql import GraphQLError

from gateway.limits.document_shape import DocumentShape
from gateway.limits.errors import TOO_MANY_ALIASES, limit_error

__all__ = ["aliases_error"]


def aliases_error(shape: DocumentShape, max_aliases: int) -> GraphQLError | None:
    if shape.aliases <= max_aliases:
        return None
    return limit_error(
        f"{shape.aliases} aliases found. Allowed: {max_aliases}",
        TOO_MANY_ALIASES,
        maxAliases=max_aliases,
    )

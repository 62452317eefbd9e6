"""Aliases: how many aliased fields a document has, over its operations and fragments
(Strawberry's ``MaxAliasesLimiter`` rule, with our code). Aliases are how one request asks
the same field many times, e.g. ``a1: customer(id: …) a2: customer(id: …) …``.
"""

from __future__ import annotations

from graphql import ValidationRule
from strawberry.extensions.max_aliases import create_validator

from gateway.limits.errors import TOO_MANY_ALIASES, coded_rule

__all__ = ["aliases_rule"]


def aliases_rule(max_aliases: int) -> type[ValidationRule]:
    """The rule rejecting documents with more than ``max_aliases`` aliases."""
    return coded_rule(create_validator(max_aliases), TOO_MANY_ALIASES, maxAliases=max_aliases)

"""Depth: how deeply fields nest (Strawberry's ``QueryDepthLimiter`` rule, with our code).

Introspection fields are not counted, so GraphiQL's schema query passes at any limit.
"""

from __future__ import annotations

from graphql import ValidationRule
from strawberry.extensions.query_depth_limiter import create_validator

from gateway.limits.errors import QUERY_TOO_DEEP, coded_rule

__all__ = ["depth_rule"]


def depth_rule(max_depth: int) -> type[ValidationRule]:
    """The rule rejecting operations nested deeper than ``max_depth`` fields."""
    return coded_rule(create_validator(max_depth, None), QUERY_TOO_DEEP, maxDepth=max_depth)

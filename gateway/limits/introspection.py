"""Introspection switched off (``CG_INTROSPECTION=false``): ``__schema`` and ``__type`` are
refused at validation (graphql-core's rule, with our code); ``__typename`` still works."""

from __future__ import annotations

from graphql import ValidationRule
from graphql.validation import NoSchemaIntrospectionCustomRule

from gateway.limits.errors import INTROSPECTION_DISABLED, coded_rule

__all__ = ["no_introspection_rule"]


def no_introspection_rule() -> type[ValidationRule]:
    return coded_rule(NoSchemaIntrospectionCustomRule, INTROSPECTION_DISABLED)

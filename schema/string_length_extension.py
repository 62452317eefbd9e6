"""Strings a client sends are at most ``max_string_length`` characters (the
``CG_MAX_STRING_LENGTH`` setting), in argument literals and in variables alike.

Ids travel in vendor URLs: a 70,000-character id made an URL the HTTP client refuses to
build, answered as an internal error. A longer string is now ``BAD_USER_INPUT`` naming
the argument (checked with validation, so cached with it) or the variable (checked
before execution: no resolver runs, no vendor is called).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from graphql import (
    ArgumentNode,
    ExecutionResult,
    GraphQLError,
    StringValueNode,
    ValidationRule,
    VariableDefinitionNode,
)
from strawberry.extensions import SchemaExtension

from gateway.context import GraphQLContext
from gateway.errors import BAD_USER_INPUT

__all__ = ["DEFAULT_MAX_STRING_LENGTH", "StringLengthLimit", "long_literals_rule"]

DEFAULT_MAX_STRING_LENGTH = 4096


@lru_cache(maxsize=8)
def long_literals_rule(max_length: int) -> type[ValidationRule]:
    """A validation rule refusing string literals longer than ``max_length`` (one class per
    limit, so the validation cache, keyed by the rules, keeps hitting)."""

    class LongLiterals(ValidationRule):
        #: ``("argument", name)`` or ``("variable", name)`` while inside one
        inside: tuple[str, str] | None = None

        def enter_argument(self, node: ArgumentNode, *_args: Any) -> None:
            self.inside = ("argument", node.name.value)

        def enter_variable_definition(self, node: VariableDefinitionNode, *_args: Any) -> None:
            self.inside = ("variable", node.variable.name.value)

        def leave_argument(self, node: ArgumentNode, *_args: Any) -> None:
            self.inside = None

        def leave_variable_definition(self, node: VariableDefinitionNode, *_args: Any) -> None:
            self.inside = None

        def enter_string_value(self, node: StringValueNode, *_args: Any) -> None:
            if self.inside is None or len(node.value) <= max_length:
                return  # a description is no input
            kind, name = self.inside
            label = f"Argument '{name}'" if kind == "argument" else f"The default of '${name}'"
            self.report_error(
                GraphQLError(
                    f"{label} is {len(node.value)} characters long; at most {max_length} "
                    "are accepted.",
                    node,
                    extensions={"code": BAD_USER_INPUT, kind: name, "maxLength": max_length},
                )
            )

    return LongLiterals


class StringLengthLimit(SchemaExtension):
    """Reads the limit from the gateway's settings (the default outside a request)."""

    def on_operation(self) -> Iterator[None]:
        context = self.execution_context
        context.validation_rules = (
            *context.validation_rules,
            long_literals_rule(self._max_length()),
        )
        yield

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        if context.result is None and context.variables:
            error = _long_variable(context.variables, self._max_length())
            if error is not None:
                context.result = ExecutionResult(data=None, errors=[error])
        yield

    def _max_length(self) -> int:
        context = self.execution_context.context
        if isinstance(context, GraphQLContext):
            return context.services.settings.max_string_length
        return DEFAULT_MAX_STRING_LENGTH


def _long_variable(variables: dict[str, Any], max_length: int) -> GraphQLError | None:
    """The error for the first variable holding a string over ``max_length`` (at any depth:
    the HTTP layer bounded the nesting)."""
    for name, value in variables.items():
        pending = [value]
        while pending:
            item = pending.pop()
            if isinstance(item, str):
                if len(item) > max_length:
                    return GraphQLError(
                        f"Variable '${name}' holds a string of {len(item)} characters; at "
                        f"most {max_length} are accepted.",
                        extensions={
                            "code": BAD_USER_INPUT,
                            "variable": name,
                            "maxLength": max_length,
                        },
                    )
            elif isinstance(item, dict):
                pending.extend(item.values())
                pending.extend(k for k in item if isinstance(k, str))
            elif isinstance(item, list):
                pending.extend(item)
    return None

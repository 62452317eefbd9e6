"""The request's variables, coerced once for the checks that run before execution.

The cost (when a variable sizes a page or decides a ``@skip``) and the id arguments both
need the variables as the operation's types read them; each used to coerce them again. The
first to ask coerces them and keeps the result on the operation's execution context, so the
others reuse it. What a document alone decides (:func:`uses_variables` says where it does
not) is worked out once per document instead.
"""

from __future__ import annotations

from graphql import (
    ListValueNode,
    ObjectValueNode,
    OperationDefinitionNode,
    ValueNode,
    VariableNode,
)
from graphql.execution.values import VariableValues, get_variable_values
from strawberry.types import ExecutionContext

__all__ = ["coerced_variables", "uses_variables"]

#: where the result is kept on the execution context (this module alone reads it)
_SLOT = "_cg_coerced_variables"


def coerced_variables(
    context: ExecutionContext, operation: OperationDefinitionNode
) -> VariableValues | None:
    """The request's variables coerced for ``operation``; ``None`` when they do not coerce
    (execution refuses them and reports why). One error is enough to know that."""
    held = vars(context).get(_SLOT)
    if held is not None and held[0] is operation:
        found: VariableValues | None = held[1]
        return found
    coerced = get_variable_values(
        context.schema._schema,
        operation.variable_definitions or (),
        context.variables or {},
        max_errors=1,
    )
    result = coerced if isinstance(coerced, VariableValues) else None
    vars(context)[_SLOT] = (operation, result)
    return result


def uses_variables(value: ValueNode) -> bool:
    """Whether an argument's value reads a variable (at any depth of a list or object)."""
    if isinstance(value, VariableNode):
        return True
    if isinstance(value, ListValueNode):
        return any(uses_variables(v) for v in value.values)
    if isinstance(value, ObjectValueNode):
        return any(uses_variables(f.value) for f in value.fields)
    return False

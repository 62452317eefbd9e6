"""How a mutation and its result type are declared.

Every mutation is guarded by exactly one permission and documented, and answers with its own
``<Verb><Thing>Payload`` type described as "The result of `verbThing`." These two helpers
state those rules once: a mutation cannot be declared without its permission, and a payload's
description is derived from its name, so the two cannot drift apart and two mutations with one
result shape share a base with a one-line subclass each."""

from __future__ import annotations

from typing import Any, TypeVar, dataclass_transform

import strawberry
from strawberry.permission import BasePermission
from strawberry.types.field import StrawberryField

__all__ = ["mutation", "payload"]

_SUFFIX = "Payload"

T = TypeVar("T", bound=type)


def mutation(permission: type[BasePermission], *, description: str) -> Any:
    """``@strawberry.mutation`` guarded by ``permission`` (typed ``Any``, as strawberry's is)."""
    return strawberry.mutation(permission_classes=[permission], description=description)


@dataclass_transform(
    order_default=False,
    kw_only_default=True,
    field_specifiers=(strawberry.field, StrawberryField),
)
def payload(cls: T) -> T:
    """``@strawberry.type`` described as the result of the mutation the class name names."""
    verb_thing = cls.__name__.removesuffix(_SUFFIX)
    if verb_thing == cls.__name__ or not verb_thing:
        raise TypeError(f"{cls.__name__}: a payload's name is <Verb><Thing>{_SUFFIX}")
    field_name = verb_thing[0].lower() + verb_thing[1:]
    return strawberry.type(cls, description=f"The result of `{field_name}`.")

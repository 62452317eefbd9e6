"""The resolver of a field whose read its declaration keys: one function for them all.

A :class:`~vendors.reads.VendorRead` names the fields that make it, each with the
function that turns the parent's id and the field's arguments into the read's key. The
``customer(id:)`` look-ahead starts the read with that function; the field, when it runs,
loads it here with the same function, so the two cannot disagree on a key (a disagreement
would cost a second upstream call). A schema field over such a read needs no resolver
function of its own: it calls :func:`field_read` and converts the vendor model it gets.
"""

from __future__ import annotations

from collections.abc import Awaitable, Hashable, Mapping
from types import MappingProxyType
from typing import Any, TypeVar

from gateway.context import GraphQLContext
from gateway.errors import BadUserInputError
from vendors.reads import RefusedArgumentError, VendorRead

__all__ = ["NO_ARGUMENTS", "field_read"]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

#: the arguments of a field that takes none
NO_ARGUMENTS: Mapping[str, Any] = MappingProxyType({})


def field_read(
    ctx: GraphQLContext,
    read: VendorRead[K, V],
    field: str,
    parent_id: str,
    args: Mapping[str, Any] = NO_ARGUMENTS,
) -> Awaitable[V]:
    """``read``'s value for ``field`` (``"Type.field"``) of the parent ``parent_id``, keyed
    from ``args`` (the field's arguments by their GraphQL names) as the declaration says.
    Arguments the declaration refuses raise ``BAD_USER_INPUT`` naming the argument, before
    any call. The loader's future is returned: the load is issued at the call, so a caller
    may start several reads before awaiting any."""
    try:
        key = read.key_of(field, parent_id, args)
    except RefusedArgumentError as refused:
        raise BadUserInputError(refused.message, argument=refused.argument) from None
    return ctx.loaders.read(read).load(key)

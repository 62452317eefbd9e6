"""Global ids: ``base64("<Type>:<key>")`` (Relay). Bad ids are bad input, not 500s."""

from __future__ import annotations

from strawberry import relay

from gateway.errors import BadUserInputError
from schema.info import Info


def parse_global_id(value: str, *, argument: str = "id") -> relay.GlobalID:
    try:
        return relay.GlobalID.from_id(value)
    except Exception as exc:  # strawberry raises several types for malformed base64/text
        raise BadUserInputError("Not a valid global id.", argument=argument) from exc


async def resolve_node(info: Info, value: str) -> relay.Node | None:
    """The object behind a global id, or ``None``; an unknown type is bad input."""
    gid = parse_global_id(value)
    try:
        node: relay.Node | None = await gid.resolve_node(info, required=False)
    except (KeyError, ValueError, AssertionError, TypeError) as exc:
        raise BadUserInputError("Not a valid global id.", argument="id") from exc
    return node

"""OpenAPI descriptions of the form fields and query parameters each route reads by hand.

Routes read their fields themselves (exact casing, string values, vendor error bodies), so
FastAPI cannot see them; these helpers put them into ``/docs`` all the same.
"""

from __future__ import annotations

from typing import Any

from sandbox.omnidesk.forms import MULTIPART, URLENCODED
from sandbox.omnidesk.validation import (
    CHANNEL_TYPE_PATTERN,
    EMAIL_PATTERN,
    NAME_PATTERN,
    NUMBER_PATTERN,
    QUERY_PATTERN,
    SOCIAL_PATTERN,
    TELEPHONE_PATTERN,
)

CUSTOM_FIELD_NOTE = "custom_<name>: any custom customer field of the account"
CHANNEL_PAIR_NOTE = "customerChannelType_N / customerChannelValue_N: channel pairs, N = 0, 1, …"


#: the documented pattern of each field that has one (docs/vendors/omnidesk.md §5.2); the
#: sandbox checks the same patterns (sandbox.omnidesk.validation)
_PATTERNS = {
    "firstname": NAME_PATTERN,
    "lastname": NAME_PATTERN,
    "extra_telephone": TELEPHONE_PATTERN,
    "extra_twitter": SOCIAL_PATTERN,
    "extra_facebook": SOCIAL_PATTERN,
    "extra_email": EMAIL_PATTERN,
    "channel_id": CHANNEL_TYPE_PATTERN,
    "query": QUERY_PATTERN,
}
#: integer fields, sent as ASCII digits (docs/vendors/omnidesk.md §5.1)
_NUMBERS = frozenset(
    {
        "customer_id",
        "customerID",
        "brand_id",
        "brandID",
        "channelID",
        "ticket_id",
        "itemStart",
        "itemLimit",
    }
)


def field_schema(name: str) -> dict[str, Any]:
    """A field's schema: always a string on the wire, with its pattern when it has one."""
    if name in _NUMBERS:
        return {"type": "string", "pattern": NUMBER_PATTERN}
    if name in _PATTERNS:
        return {"type": "string", "pattern": _PATTERNS[name]}
    return {"type": "string"}


def _schema(fields: tuple[str, ...]) -> dict[str, Any]:
    return {"type": "object", "properties": {f: field_schema(f) for f in fields}}


def form(*fields: str, put: bool = False, notes: tuple[str, ...] = ()) -> dict[str, Any]:
    """``openapi_extra`` for a body of form fields (multipart first for POST/DELETE)."""
    media = (URLENCODED,) if put else (MULTIPART, URLENCODED)
    body: dict[str, Any] = {"content": {m: {"schema": _schema(fields)} for m in media}}
    if notes:
        body["description"] = "; ".join(notes)
    return {"requestBody": body}


def query(*names: str) -> dict[str, Any]:
    """``openapi_extra`` for query parameters."""
    return {
        "parameters": [
            {"name": n, "in": "query", "required": False, "schema": field_schema(n)} for n in names
        ]
    }


def both(*names: str) -> dict[str, Any]:
    """DELETE: the same fields in the query string or an urlencoded body."""
    return query(*names) | form(*names)

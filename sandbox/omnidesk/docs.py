"""OpenAPI descriptions of the form fields and query parameters each route reads by hand.

Routes read their fields themselves (exact casing, string values, vendor error bodies), so
FastAPI cannot see them; these helpers put them into ``/docs`` all the same.
"""

from __future__ import annotations

from typing import Any

from sandbox.omnidesk.forms import MULTIPART, URLENCODED

CUSTOM_FIELD_NOTE = "custom_<name>: any custom customer field of the account"
CHANNEL_PAIR_NOTE = "customerChannelType_N / customerChannelValue_N: channel pairs, N = 0, 1, …"


def _schema(fields: tuple[str, ...]) -> dict[str, Any]:
    return {"type": "object", "properties": {f: {"type": "string"} for f in fields}}


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
            {"name": n, "in": "query", "required": False, "schema": {"type": "string"}}
            for n in names
        ]
    }


def both(*names: str) -> dict[str, Any]:
    """DELETE: the same fields in the query string or an urlencoded body."""
    return query(*names) | form(*names)

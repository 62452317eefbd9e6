"""Which statuses (and bodies) each Omnidesk route answers, for its OpenAPI document.

Every ``/api/`` call needs an API key (401, ``bad_key_status``); a write needs the CUD
permission (403, ``forbidden_status``); bad input, and by default an unknown customer, brand or
channel, is 400 (docs/vendors/omnidesk.md §3.3); a path id that is not a number matches no
route (404). The edge may throttle (429) or fail (5xx). All in ``{"status":"error",…}``.
Successes are one of the three envelopes of docs/vendors/omnidesk.md §3.1 (``sandbox.omnidesk.
views`` builds them), declared per route instead of FastAPI's untyped object.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sandbox.common.declared_responses import Operation

ERROR = "OmnideskError"

ITEM = "OmnideskCustomerItem"
LIST = "OmnideskCustomerList"
RESULT = "OmnideskResult"
TIMELINE = "OmnideskTimeline"
FOUND = "OmnideskCustomerItemOrList"

_INT = {"type": "integer"}
_TEXT = {"type": "string"}
_NULLABLE_TEXT = {"type": ["string", "null"]}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


_CHANNEL = {
    "type": "object",
    "required": ["id", "channel_id", "channel_name", "address"],
    "properties": {"id": _INT, "channel_id": _INT, "channel_name": _TEXT, "address": _TEXT},
}
_SUMMARY_PROPERTIES = {
    "id": _INT,
    "external_primary_id": _NULLABLE_TEXT,
    "brand_name": _TEXT,
    "firstname": _TEXT,
    "lastname": _TEXT,
    "channels": {"type": "array", "items": _CHANNEL},
}
_SUMMARY = {
    "type": "object",
    "required": list(_SUMMARY_PROPERTIES),
    "properties": _SUMMARY_PROPERTIES,
}
#: custom fields come as a ``custom_fields`` map, or as flat ``custom_<name>`` keys (an option)
_DETAIL = {
    "type": "object",
    "required": [*_SUMMARY_PROPERTIES, "brand_id"],
    "properties": {
        **_SUMMARY_PROPERTIES,
        "brand_id": _INT,
        "custom_fields": {"type": "object", "additionalProperties": _TEXT},
    },
}
_TIMELINE_ENTRY = {
    "type": "object",
    "required": ["id", "type", "message", "initiated_by", "source_url", "created"],
    "properties": {
        "id": _INT,
        "type": _TEXT,
        "message": _TEXT,
        "initiated_by": _TEXT,
        "source_url": _NULLABLE_TEXT,
        "created": _TEXT,
        "ticket_id": _INT,
        "status": _TEXT,
    },
}

SCHEMAS: dict[str, dict[str, Any]] = {
    ITEM: {
        "title": ITEM,
        "type": "object",
        "required": ["type", "item"],
        "properties": {"type": {"type": "string", "enum": ["item"]}, "item": _DETAIL},
    },
    LIST: {
        "title": LIST,
        "description": "`type` is the `list_type` option (docs/vendors/omnidesk.md §3.1)",
        "type": "object",
        "required": ["type", "itemStart", "itemTotal", "itemLimit", "items"],
        "properties": {
            "type": _TEXT,
            "itemStart": _INT,
            "itemTotal": _INT,
            "itemLimit": _INT,
            "items": {"type": "array", "items": _SUMMARY},
        },
    },
    FOUND: {
        "title": FOUND,
        "description": "docs/vendors/omnidesk.md §6.7: the search_by_primary_id_shape option",
        "anyOf": [_ref(ITEM), _ref(LIST)],
    },
    RESULT: {
        "title": RESULT,
        "type": "object",
        "required": ["type", "message"],
        "properties": {
            "type": {"type": "string", "enum": ["result"]},
            "message": _TEXT,
            "id": _INT,
        },
    },
    TIMELINE: {
        "title": TIMELINE,
        "type": "object",
        "required": ["type", "items"],
        "properties": {"type": _TEXT, "items": {"type": "array", "items": _TIMELINE_ENTRY}},
    },
    ERROR: {
        "title": ERROR,
        "description": "docs/vendors/omnidesk.md §3.2",
        "type": "object",
        "required": ["status", "message"],
        "properties": {
            "status": {"type": "string", "enum": ["error"]},
            "message": {"type": "string"},
        },
    },
}

DESCRIPTION = (
    "Errors: every error has the OmnideskError body. A method a path does not serve answers "
    "405; a path no route matches (a trailing slash included) answers 404."
)


#: the success body of each route that does not answer the result envelope
_SUCCESS = {
    "get /api/v2/customer": LIST,
    "get /api/v2/customer/{id}": ITEM,
    "post /api/v2/customer/SearchByPrimaryExternalID": FOUND,
    "post /api/v2/customer/SearchByCustomerChannelValue": LIST,
    "get /api/v2/customer/timelineByCustomerExternalID": TIMELINE,
}


def errors_of(op: Operation) -> Mapping[int | str, str | None]:
    errors: dict[int | str, str | None] = {}
    if op.path.startswith("/api/"):
        errors[200] = _SUCCESS.get(f"{op.method} {op.path}", RESULT)
    if op.has_input:
        errors[400] = ERROR
    if not op.path.startswith("/api/"):
        if op.path_params:
            errors[404] = ERROR
        return errors
    errors[401] = ERROR
    if op.method != "get":
        errors[403] = ERROR
    if op.path_params:
        errors[404] = ERROR
    errors[429] = ERROR
    errors["5XX"] = ERROR
    return errors

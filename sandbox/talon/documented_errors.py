"""Which statuses each Talon.One route answers beyond its success, for its OpenAPI document.

Bodies (docs/vendors/talon.md §3): ``ErrorResponse`` for the 400 of the operations in
``PLAIN_400_OPERATIONS``, ``ErrorResponseWithStatus`` for every other 400 and every 401/404,
a bare ``{"message"}`` for the 409 of an overlapping request. ``silent=yes`` (the default)
makes the bulk profile update, the v2 event and the multi-advocate referrals answer 204.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sandbox.common.declared_responses import NO_BODY, Operation
from sandbox.talon.errors import PLAIN_400_OPERATIONS

PLAIN = "ErrorResponse"
WITH_STATUS = "ErrorResponseWithStatus"
BARE = "MessageOnly"

_SOURCE = {
    "type": "object",
    "properties": {
        "pointer": {"type": "string"},
        "parameter": {"type": "string"},
        "resource": {"type": "string"},
    },
}
_API_ERROR = {
    "type": "object",
    "required": ["title", "source"],
    "properties": {"title": {"type": "string"}, "details": {"type": "string"}, "source": _SOURCE},
}
_PLAIN_PROPERTIES = {
    "message": {"type": "string"},
    "errors": {"type": "array", "items": _API_ERROR},
}

SCHEMAS: dict[str, dict[str, Any]] = {
    PLAIN: {
        "title": PLAIN,
        "type": "object",
        "required": ["message", "errors"],
        "properties": _PLAIN_PROPERTIES,
    },
    WITH_STATUS: {
        "title": WITH_STATUS,
        "type": "object",
        "required": ["message", "errors", "StatusCode"],
        "properties": {**_PLAIN_PROPERTIES, "StatusCode": {"type": "integer"}},
    },
    BARE: {
        "title": BARE,
        "description": "the untyped 409 of an overlapping request, and the edge's 429",
        "type": "object",
        "required": ["message"],
        "properties": {"message": {"type": "string"}},
    },
}

DESCRIPTION = (
    "Errors: a method a path does not serve answers 405, a path no route matches (a trailing "
    "slash included) 404, both as ErrorResponseWithStatus."
)

#: operations that hold a session or profile lock (a second, overlapping call gets 409)
LOCKED = frozenset(
    {
        "trackEventV2",
        "trackEvent",
        "updateCustomerProfileV2",
        "updateCustomerProfile",
        "deleteCustomerData",
        "updateCustomerSessionV2",
        "updateCustomerSession",
        "returnCartItems",
    }
)
#: operations whose ``silent=yes`` answer is 204 with no body
SILENT = frozenset(
    {"updateCustomerProfilesV2", "trackEventV2", "createReferralsForMultipleAdvocates"}
)
#: operations that answer 404 for a resource named in the body
NOT_FOUND_FROM_BODY = frozenset({"updateCustomerProfileAudiences"})
#: operations that answer 409 ErrorResponseWithStatus (an integrationId already taken)
INTEGRATION_ID_CONFLICT = frozenset({"createAudienceV2"})


def errors_of(op: Operation) -> Mapping[int | str, str | None]:
    responses: dict[int | str, str | None] = {}
    if op.operation_id in SILENT:
        responses[204] = NO_BODY
    if op.has_input:
        responses[400] = PLAIN if op.operation_id in PLAIN_400_OPERATIONS else WITH_STATUS
    if not op.path.startswith(("/v1/", "/v2/")):
        if op.path_params:
            responses[404] = WITH_STATUS
        return responses
    responses[401] = WITH_STATUS
    if op.path_params or op.operation_id in NOT_FOUND_FROM_BODY:
        responses[404] = WITH_STATUS
    if op.operation_id in LOCKED:
        responses[409] = BARE
    if op.operation_id in INTEGRATION_ID_CONFLICT:
        responses[409] = WITH_STATUS
    responses[429] = BARE
    responses["5XX"] = WITH_STATUS
    return responses

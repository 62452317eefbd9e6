"""Tallymarks error bodies → :class:`VendorRejection` (docs/vendors/tallymarks.md §3).

Body: ``{"code", "message", "detail", "errors": [{"message", "param", "value"}]}``. Only the
code, a short message and the first offending parameter are kept — never ``detail`` or
``value`` (they may echo customer data).
"""

from __future__ import annotations

from vendors.http import VendorRejection, VendorResponse

#: codes that mean "this customer does not exist" even on a 400 (docs/vendors/tallymarks.md §7.2)
NOT_FOUND_CODES = frozenset({"CustomerNotFound"})
_MAX_MESSAGE = 120


def parse_error(response: VendorResponse) -> VendorRejection:
    """Read the standard error body; anything else (an edge HTML page) gives an empty one."""
    try:
        body = response.json()
    except ValueError:
        return VendorRejection()
    if not isinstance(body, dict):
        return VendorRejection()
    code = body.get("code")
    message = body.get("message")
    field = None
    errors = body.get("errors")
    if isinstance(errors, list) and errors and isinstance(errors[0], dict):
        param = errors[0].get("param")
        field = param if isinstance(param, str) and param else None
    return VendorRejection(
        message=message[:_MAX_MESSAGE] if isinstance(message, str) else "",
        code=code if isinstance(code, str) and code else None,
        field=field,
    )

"""Reads a request's fields the way the vendor's PHP back end sees them.

See docs/vendors/omnidesk.md §2.

- GET: the query string.
- POST: the body, ``multipart/form-data`` or ``application/x-www-form-urlencoded``.
- PUT: the body, urlencoded (multipart only with ``accept_multipart_on_put``).
- DELETE: the query string, then an urlencoded or multipart body on top.

JSON bodies are refused unless ``accept_json_bodies`` is set; then their values are turned
into the strings a form would have carried. The ``apiKey`` credential is never a field.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import Request
from starlette.datastructures import UploadFile

from sandbox.omnidesk.errors import OmnideskError
from sandbox.omnidesk.options import OmnideskSandboxOptions
from sandbox.omnidesk.validation import Params

MULTIPART = "multipart/form-data"
URLENCODED = "application/x-www-form-urlencoded"
JSON = "application/json"


async def read_params(request: Request, options: OmnideskSandboxOptions) -> Params:
    method = request.method.upper()
    values: dict[str, str] = {}
    if method in ("GET", "DELETE"):
        values.update(request.query_params)
    if method != "GET":
        values.update(await _body_fields(request, method, options))
    values.pop("apiKey", None)
    return Params(values)


async def _body_fields(
    request: Request, method: str, options: OmnideskSandboxOptions
) -> dict[str, str]:
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type == "":
        return {}
    if media_type == URLENCODED or (media_type == MULTIPART and _multipart_ok(method, options)):
        form = await request.form()
        return {k: v for k, v in form.multi_items() if not isinstance(v, UploadFile)}
    if media_type == JSON and options.accept_json_bodies:
        return _json_fields(await request.body())
    raise OmnideskError(f"Unsupported content type {media_type} for {method}.")


def _multipart_ok(method: str, options: OmnideskSandboxOptions) -> bool:
    return method != "PUT" or options.accept_multipart_on_put


def _json_fields(body: bytes) -> dict[str, str]:
    try:
        data: Any = json.loads(body or b"{}")
    except ValueError:
        raise OmnideskError("The request body is not valid JSON.") from None
    if not isinstance(data, dict):
        raise OmnideskError("The request body must be a JSON object.")
    return {k: _as_form_value(v) for k, v in data.items() if _scalar(v)}


def _scalar(value: Any) -> bool:
    return isinstance(value, str | int | float | bool)


def _as_form_value(value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value)

"""FastAPI dependencies of the Tallymarks routes: the caller's tenant, the store, options."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from sandbox.tallymarks.errors import UNSUPPORTED_MEDIA_TYPE, TallymarksError, invalid, not_found
from sandbox.tallymarks.options import TallymarksSandboxOptions
from sandbox.tallymarks.schemas_in import parse_guid
from sandbox.tallymarks.store import TallymarksStore, TenantData


def _tenant(request: Request) -> TenantData:
    tenant: TenantData = request.state.tenant  # set by the edge after authentication
    return tenant


def _store(request: Request) -> TallymarksStore:
    store: TallymarksStore = request.app.state.store
    return store


def _options(request: Request) -> TallymarksSandboxOptions:
    options: TallymarksSandboxOptions = request.app.state.options
    return options


Tenant = Annotated[TenantData, Depends(_tenant)]
Store = Annotated[TallymarksStore, Depends(_store)]
Options = Annotated[TallymarksSandboxOptions, Depends(_options)]


async def require_json(request: Request) -> None:
    """A body must be sent as ``application/json`` ([I]: ASP.NET answers 415 otherwise)."""
    if not request.app.state.options.require_json_content_type:
        return
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media != "application/json" and not media.endswith("+json"):
        raise TallymarksError(
            415,
            UNSUPPORTED_MEDIA_TYPE,
            "Unsupported Media Type",
            "Send the request body as application/json.",
        )


JsonBody = Depends(require_json)


def path_guid(value: str, param: str, options: TallymarksSandboxOptions, path: str) -> str:
    """A GUID route segment; anything else misses the ``{id:guid}`` route (404) or is a 400."""
    try:
        return parse_guid(value)
    except ValueError:
        if options.non_guid_id_status == 404:
            raise not_found(path) from None
        raise invalid(param, "The value is not a valid GUID.", value) from None


def query_guid(value: str | None, param: str) -> str | None:
    if value is None or value == "":
        return None
    try:
        return parse_guid(value)
    except ValueError:
        raise invalid(param, "The value is not a valid GUID.", value) from None

"""API key authentication and the CUSTOMER_READ / CUSTOMER_CUD permissions
(docs/vendors/omnidesk.md §1.2, §1.3).

The key arrives as the ``apiKey`` header (current spec) or, by option, as the ``?apiKey=``
query parameter (older auth page). It identifies one account; the permission is checked per
endpoint. A missing or unknown key is ``bad_key_status`` (401), a key without the permission
``forbidden_status`` (403), both with the vendor's error body.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import Request, Security
from fastapi.security import APIKeyHeader, APIKeyQuery

from sandbox.omnidesk.errors import OmnideskError
from sandbox.omnidesk.options import OmnideskSandboxOptions
from sandbox.omnidesk.store import CUSTOMER_CUD, CUSTOMER_READ, Account, OmnideskStore

API_KEY = "apiKey"
NO_KEY = "No API key given."
BAD_KEY = "Invalid API key."

# declared for the OpenAPI docs ("Authorize" in /docs); the checks are done below
_header_scheme = APIKeyHeader(name=API_KEY, auto_error=False)
_query_scheme = APIKeyQuery(name=API_KEY, auto_error=False)


def authenticate(request: Request, permission: str) -> Account:
    store: OmnideskStore = request.app.state.store
    options: OmnideskSandboxOptions = request.app.state.options
    key = request.headers.get(API_KEY)
    if key is None and options.accept_query_api_key:
        key = request.query_params.get(API_KEY)
    if not key:
        raise OmnideskError(NO_KEY, options.bad_key_status)
    grant = store.keys.get(key)
    if grant is None:
        raise OmnideskError(BAD_KEY, options.bad_key_status)
    if permission not in grant.permissions:
        raise OmnideskError(
            f"This API key does not have the {permission} permission.", options.forbidden_status
        )
    return store.accounts[grant.account]


def _requiring(permission: str) -> Callable[[Request], Awaitable[Account]]:
    async def dependency(
        request: Request,
        _header: str | None = Security(_header_scheme),
        _query: str | None = Security(_query_scheme),
    ) -> Account:
        return authenticate(request, permission)

    return dependency


#: FastAPI dependencies: the caller's account, once the key is checked
read_access = _requiring(CUSTOMER_READ)
cud_access = _requiring(CUSTOMER_CUD)

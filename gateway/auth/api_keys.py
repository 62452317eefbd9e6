"""API keys (``X-API-Key``): each names a tenant and the scopes it grants.

``CG_API_KEYS`` takes ``{key: tenant}`` (all scopes, the original form) or
``{key: {"tenant": ..., "scopes": [...], "name": ...}}``. Keys are held only as SHA-256
digests, so a lookup is one dict access whatever the number of keys, and no raw key sits in
memory where a debugger, a repr or a log could show it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

from pydantic import BaseModel, ConfigDict, Field

from gateway.auth.errors import AuthenticationError, Reason
from gateway.auth.principal import Principal
from gateway.auth.scopes import ALL_SCOPES, Scope

__all__ = ["API_KEY_HEADER", "ApiKeyAuthenticator", "ApiKeyGrant", "ApiKeys"]

API_KEY_HEADER = "x-api-key"


class ApiKeyGrant(BaseModel):
    """What one API key may do."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    tenant: str = Field(min_length=1)
    #: required in this form, so a key never gets every scope by omission
    scopes: list[Scope]
    #: a name for logs (default: a short fingerprint of the key)
    name: str | None = None


#: the settings' form: a tenant (all scopes) or a grant
ApiKeys = Mapping[str, str | ApiKeyGrant]


def _digest(key: str) -> bytes:
    return hashlib.sha256(key.encode()).digest()


def _grant(key: str, value: str | ApiKeyGrant) -> Principal:
    name_default = f"api-key:{_digest(key).hex()[:8]}"
    if isinstance(value, str):
        return Principal(tenant=value, name=name_default, scopes=ALL_SCOPES)
    return Principal(
        tenant=value.tenant, name=value.name or name_default, scopes=frozenset(value.scopes)
    )


class ApiKeyAuthenticator:
    """Maps a presented key to its :class:`Principal`."""

    def __init__(self, keys: ApiKeys) -> None:
        self._principals = {_digest(k): _grant(k, v) for k, v in keys.items() if k}

    def __len__(self) -> int:
        return len(self._principals)

    def authenticate(self, presented: str) -> Principal:
        principal = self._principals.get(_digest(presented))
        if principal is None:
            raise AuthenticationError(Reason.INVALID_API_KEY, "The API key is not valid.")
        return principal

"""Tallymarks authentication: three headers on every request
(docs/vendors/tallymarks.md §1.2), never a bearer token."""

from __future__ import annotations

from pydantic import SecretStr

from vendors.header_auth import HeaderAuth


class TallymarksAuth(HeaderAuth):
    """Adds ``x-tenant-id``, ``x-api-key`` and ``x-api-secret``; its repr shows no secret."""

    def __init__(self, tenant_id: str, api_key: SecretStr, api_secret: SecretStr) -> None:
        self._tenant_id = tenant_id
        self._api_key = api_key
        self._api_secret = api_secret

    def headers(self) -> dict[str, str]:
        """The three headers, for a client that builds its requests' headers once."""
        return {
            "x-tenant-id": self._tenant_id,
            "x-api-key": self._api_key.get_secret_value(),
            "x-api-secret": self._api_secret.get_secret_value(),
        }

    def __repr__(self) -> str:
        return f"TallymarksAuth(tenant_id={self._tenant_id!r}, api_key=**********)"

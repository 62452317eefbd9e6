"""Per-tenant Omnidesk settings: the account's base URL, its API key and the main brand."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, SecretStr, field_validator

__all__ = ["OmnideskConfig"]


class OmnideskConfig(BaseModel):
    """One tenant's Omnidesk account.

    ``base_url`` is the account host (``https://acme.omnidesk.io``); a trailing ``/api/v2``
    is accepted and dropped, the client adds the API paths itself. ``brand_id`` is the brand
    whose customers carry the canonical customer id as ``external_primary_id``; methods use
    it unless given another brand.
    """

    model_config = ConfigDict(frozen=True)

    base_url: str
    api_key: SecretStr
    brand_id: int

    @field_validator("base_url")
    @classmethod
    def _account_root(cls, value: str) -> str:
        root = value.rstrip("/")
        return root.removesuffix("/api/v2").rstrip("/")

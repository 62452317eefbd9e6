"""Per-tenant Talon.One settings: the deployment's base URL and an Integration API key."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, SecretStr, field_validator

__all__ = ["TalonConfig"]


class TalonConfig(BaseModel):
    """One Talon.One Application: every call made with its key is scoped to it."""

    model_config = ConfigDict(frozen=True)

    #: the deployment host, e.g. ``https://yourbaseurl.talon.one`` (paths start at ``/v1``)
    base_url: str
    #: the Application's Integration API key (sent as ``Authorization: ApiKey-v1 <key>``)
    api_key: SecretStr

    @field_validator("base_url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        value = value.strip().rstrip("/")
        if not value.startswith(("http://", "https://")):
            raise ValueError("base_url must be an http(s) URL")
        return value

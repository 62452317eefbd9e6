"""Per-tenant Tallymarks settings: the two hosts and the three credentials
(docs/vendors/tallymarks.md §1.1, §1.2)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator


class TallymarksConfig(BaseModel):
    """Where a tenant's Tallymarks lives and how to authenticate to it.

    ``customer_base_url`` serves the Customer API (``https://api-customer.tallymarks.net``);
    ``event_base_url`` the Event API (most likely ``https://api-event.tallymarks.net``).
    ``create_customer_path`` exists because the create route is inferred
    (docs/vendors/tallymarks.md §7.4).
    """

    model_config = ConfigDict(frozen=True)

    customer_base_url: str = Field(min_length=1)
    event_base_url: str = Field(min_length=1)
    tenant_id: str = Field(min_length=1)
    api_key: SecretStr
    api_secret: SecretStr
    create_customer_path: str = "/api/v1/customers"

    @field_validator("customer_base_url", "event_base_url")
    @classmethod
    def _strip_slash(cls, value: str) -> str:
        return value.rstrip("/")

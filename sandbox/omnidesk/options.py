"""Behaviour switches of the Omnidesk sandbox: every inferred ([I]) or unknown ([G]) choice.

Each field's default is the choice listed in docs/vendors/omnidesk.md §8; its description cites the
section it comes from. Set them at start with ``SANDBOX_OMNIDESK_OPTIONS`` (a JSON object) or pass
an instance to ``create_app``.
"""

from __future__ import annotations

import json
import os
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

DEFAULT_CHANNEL_TYPES = {1: "email", 2: "telephone", 3: "facebook", 4: "twitter"}
DEFAULT_CUSTOM_FIELDS = ("tier", "city", "testfield", "crm_reference")


class OmnideskSandboxOptions(BaseModel):
    """How the simulated Omnidesk account behaves where the vendor docs are silent."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    # --- authentication (docs/vendors/omnidesk.md §1) ---
    bad_key_status: int = Field(
        default=401,
        description="[G] docs/vendors/omnidesk.md §1.2: status for a missing or unknown API key",
    )
    forbidden_status: int = Field(
        default=403,
        description="[G] docs/vendors/omnidesk.md §1.3: status for a key without the permission",
    )
    accept_query_api_key: bool = Field(
        default=True,
        description="[D] docs/vendors/omnidesk.md §1.2: accept ?apiKey= as well as the header",
    )

    # --- encodings (docs/vendors/omnidesk.md §2) ---
    accept_json_bodies: bool = Field(
        default=False,
        description="[I] docs/vendors/omnidesk.md §2.1: accept application/json bodies (real "
        "service: no)",
    )
    accept_multipart_on_put: bool = Field(
        default=False,
        description="[I] docs/vendors/omnidesk.md §2.1: accept multipart/form-data on PUT (PHP "
        "does not)",
    )

    # --- paging (docs/vendors/omnidesk.md §4) ---
    list_type: str = Field(
        default="items", description="[G] docs/vendors/omnidesk.md §3.1: the list envelope's `type`"
    )
    default_item_limit: int = Field(
        default=15, ge=1, description="[D] docs/vendors/omnidesk.md §4: default itemLimit"
    )
    max_item_limit: int = Field(
        default=99, ge=1, description="[D] docs/vendors/omnidesk.md §4: largest itemLimit"
    )
    clamp_item_limit: bool = Field(
        default=False,
        description="[G] docs/vendors/omnidesk.md §4: clamp itemLimit > max instead of answering "
        "400",
    )

    # --- domain (docs/vendors/omnidesk.md §6, §7) ---
    not_found_status: int = Field(
        default=400,
        description="[I] docs/vendors/omnidesk.md §3.3: status for an unknown customer, brand or "
        "channel",
    )
    upsert_on_create: bool = Field(
        default=False,
        description="[G] docs/vendors/omnidesk.md §6.3: POST index/createCustomerCRUD with an "
        "existing (brand, primary id) updates that customer instead of answering 400",
    )
    return_id_on_create: bool = Field(
        default=True,
        description="[G] docs/vendors/omnidesk.md §6.3: add the new customer's `id` to the result "
        "envelope",
    )
    reject_unknown_custom_fields: bool = Field(
        default=False,
        description="[G] docs/vendors/omnidesk.md §7.2: 400 for a custom_<name> not defined for "
        "the account",
    )
    custom_field_names: tuple[str, ...] = Field(
        default=DEFAULT_CUSTOM_FIELDS,
        description="[G] docs/vendors/omnidesk.md §7.2: custom fields every account defines",
    )
    custom_fields_style: Literal["map", "flat"] = Field(
        default="map",
        description="[G] docs/vendors/omnidesk.md §6.2: custom fields in item responses as a "
        "`custom_fields` map or as flat `custom_<name>` keys",
    )
    channel_types: dict[int, str] = Field(
        default_factory=lambda: dict(DEFAULT_CHANNEL_TYPES),
        description="[I] docs/vendors/omnidesk.md §7.3: channel type id → name (1=email, "
        "2=telephone, …)",
    )
    channel_pair_replaces_type: bool = Field(
        default=False,
        description="[G] docs/vendors/omnidesk.md §6.5: a customerChannelType_N/Value_N pair "
        "replaces the customer's channel of that type (default: adds a channel unless the address "
        "is already linked)",
    )
    unique_channel_address_per_brand: bool = Field(
        default=False,
        description="[I] docs/vendors/omnidesk.md §7.3: 400 when an address is already linked to "
        "another customer of the brand (default: several customers may share one, so channel "
        "search returns a list)",
    )
    search_by_primary_id_shape: Literal["item", "items"] = Field(
        default="item",
        description="[G] docs/vendors/omnidesk.md §6.7: SearchByPrimaryExternalID answers the item "
        "envelope (unknown id → not-found error) or a list envelope with 0 or 1 entries",
    )
    timeline_newest_first: bool = Field(
        default=True,
        description="[G] docs/vendors/omnidesk.md §6.13: timeline order (newest entry first)",
    )
    purge_removes_tickets: bool = Field(
        default=True,
        description="[I] docs/vendors/omnidesk.md §6.12: purging also deletes the customer's "
        "tickets (delete unlinks)",
    )

    # --- CRM sync (docs/vendors/omnidesk.md §6.15) ---
    main_brand_crm_url: str | None = Field(
        default="stub:",
        description="[G] docs/vendors/omnidesk.md §6.15: CRM lookup URL of each account's main "
        "brand ('stub:' = the in-process stub CRM, None = not configured); other brands have none",
    )
    crm_timeout_seconds: float = Field(
        default=5.0,
        gt=0,
        description="[G] docs/vendors/omnidesk.md §6.15: timeout of a real CRM lookup",
    )
    crm_failure_status: int = Field(
        default=400,
        description="[G] docs/vendors/omnidesk.md §6.15: status when the CRM lookup fails or "
        "answers badly",
    )

    @classmethod
    def from_env(cls) -> OmnideskSandboxOptions:
        """Read ``SANDBOX_OMNIDESK_OPTIONS`` (a JSON object); unset means the defaults."""
        raw = os.environ.get("SANDBOX_OMNIDESK_OPTIONS", "").strip()
        return cls.model_validate(json.loads(raw)) if raw else cls()

    def channel_type_id(self, name: str) -> int | None:
        """The id of a channel type given by name, or ``None``."""
        return next((i for i, n in self.channel_types.items() if n == name), None)

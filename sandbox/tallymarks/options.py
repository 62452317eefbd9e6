"""Every Tallymarks behaviour the notes leave open ([I], [G]) is a field here.

The default of each field is the choice the contract notes recommend; the description names
the note it comes from. ``SANDBOX_TALLYMARKS_OPTIONS`` (a JSON object) overrides them.
"""

from __future__ import annotations

import json
import os
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class TallymarksSandboxOptions(BaseModel):
    """Switchable behaviours of the Tallymarks sandbox (defaults = the notes' choices)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    default_limit: int = Field(
        default=25, ge=1, le=100, description="A6 [G]: page size when `limit` is left out"
    )
    max_limit: int = Field(default=100, ge=1, description="A6 [D]: largest allowed `limit`")
    limit_over_max: Literal["reject", "clamp"] = Field(
        default="reject",
        description="A6 [G]: `limit` above the maximum → 400 (param `limit`) or clamped",
    )
    existing_customer_on_create: Literal["reject", "upsert"] = Field(
        default="reject",
        description="A5.4 [G]: create with an existing customerId → 400 or update the profile",
    )
    patch_attributes: Literal["replace", "merge"] = Field(
        default="replace", description="A5.2 [G]: PATCH `attributes` replaces or merges by name"
    )
    patch_null_clears: bool = Field(
        default=False,
        description="A5.2 [I]: an explicit null in PATCH clears the field (a .NET DTO cannot "
        "tell null from absent, so by default null leaves the field unchanged)",
    )
    non_guid_id_status: Literal[404, 400] = Field(
        default=404,
        description="A5 routing trap [I]: a non-GUID id in the path → 404 (route constraint) "
        "or 400",
    )
    unknown_segment_status: Literal[404, 400] = Field(
        default=404, description="A5.9 [I]: PUT segments with an unknown segmentId"
    )
    refuse_inactive_segments: bool = Field(
        default=True, description="A8.5 [I]: adding to an Inactive/Archived segment → 400"
    )
    hide_expired_memberships: bool = Field(
        default=True, description="A8.5 [I]: expired memberships are left out of GET segments"
    )
    readd_extends_expiry: bool = Field(
        default=False,
        description="A5.9 [I]: re-adding an active membership recomputes its expiryDateTime "
        "(by default only changedAt is refreshed)",
    )
    processing: Literal["immediate", "deferred"] = Field(
        default="immediate",
        description="A7 [D: asynchronous]: assess events on receipt, or queue them until "
        "POST /_sandbox/tallymarks/flush",
    )
    case_insensitive_input: bool = Field(
        default=True,
        description="A1 [I, .NET]: JSON property names, query names and route segments match "
        "case-insensitively",
    )
    require_json_content_type: bool = Field(
        default=True,
        description="A5 [I, .NET]: a body without `Content-Type: application/json` → 415",
    )
    points_expiry_mode: Literal["aging", "activity"] = Field(
        default="aging", description="A8.4 [D]: how POST /_sandbox/tallymarks/expire works"
    )
    points_expiry_months: int = Field(
        default=24, ge=12, le=60, description="A8.4 [D]: expiry period (12 months to 5 years)"
    )

    @classmethod
    def from_env(cls) -> TallymarksSandboxOptions:
        """Read ``SANDBOX_TALLYMARKS_OPTIONS`` (a JSON object); empty means defaults."""
        raw = os.environ.get("SANDBOX_TALLYMARKS_OPTIONS", "").strip()
        return cls.model_validate(json.loads(raw)) if raw else cls()

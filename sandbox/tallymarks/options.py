"""Every Tallymarks behaviour the vendor leaves open ([I], [G]) is a field here.

The default of each field is the choice listed in docs/vendors/tallymarks.md §10; its description
cites the section it comes from. ``SANDBOX_TALLYMARKS_OPTIONS`` (a JSON object) overrides them.
"""

from __future__ import annotations

import json
import os
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class TallymarksSandboxOptions(BaseModel):
    """Switchable behaviours of the Tallymarks sandbox (defaults = the documented choices)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    default_limit: int = Field(
        default=25,
        ge=1,
        le=100,
        description="[G] docs/vendors/tallymarks.md §4: page size when `limit` is left out",
    )
    max_limit: int = Field(
        default=100, ge=1, description="[D] docs/vendors/tallymarks.md §4: largest `limit`"
    )
    limit_over_max: Literal["reject", "clamp"] = Field(
        default="reject",
        description="[G] docs/vendors/tallymarks.md §4: `limit` over the maximum → 400 (param "
        "`limit`) or clamped",
    )
    existing_customer_on_create: Literal["reject", "upsert"] = Field(
        default="reject",
        description="[G] docs/vendors/tallymarks.md §7.4: create with an existing customerId → 400 "
        "or update",
    )
    patch_attributes: Literal["replace", "merge"] = Field(
        default="replace",
        description="[G] docs/vendors/tallymarks.md §7.2: PATCH `attributes` replaces or merges by "
        "name",
    )
    patch_null_clears: bool = Field(
        default=False,
        description="[I] docs/vendors/tallymarks.md §7.2: an explicit null in PATCH clears the "
        "field (a .NET DTO cannot tell null from absent, so by default null leaves the field "
        "unchanged)",
    )
    non_guid_id_status: Literal[404, 400] = Field(
        default=404,
        description="[I] docs/vendors/tallymarks.md §5: a non-GUID id in the path → 404 (route "
        "constraint) or 400",
    )
    unknown_segment_status: Literal[404, 400] = Field(
        default=404,
        description="[I] docs/vendors/tallymarks.md §7.9: PUT segments with an unknown segmentId",
    )
    refuse_inactive_segments: bool = Field(
        default=True,
        description="[I] docs/vendors/tallymarks.md §9.5: adding to an Inactive/Archived segment → "
        "400",
    )
    hide_expired_memberships: bool = Field(
        default=True,
        description="[I] docs/vendors/tallymarks.md §9.5: expired memberships are left out of GET "
        "segments",
    )
    readd_extends_expiry: bool = Field(
        default=False,
        description="[I] docs/vendors/tallymarks.md §7.9: re-adding an active membership "
        "recomputes its expiryDateTime (by default only changedAt is refreshed)",
    )
    processing: Literal["immediate", "deferred"] = Field(
        default="immediate",
        description="[D] docs/vendors/tallymarks.md §8.1 (asynchronous): assess events on receipt, "
        "or queue them until POST /_sandbox/tallymarks/flush",
    )
    case_insensitive_input: bool = Field(
        default=True,
        description="[I] docs/vendors/tallymarks.md §1.3: JSON property names, query names and "
        "route segments match case-insensitively",
    )
    require_json_content_type: bool = Field(
        default=True,
        description="[I] docs/vendors/tallymarks.md §2: a body without `Content-Type: "
        "application/json` → 415",
    )
    trailing_slash: Literal["not_found", "same_route"] = Field(
        default="not_found",
        description="[G] docs/vendors/tallymarks.md §2: a path with a trailing slash → 404 "
        "NotFound (after authentication, never a redirect), or the route without the slash "
        "(as ASP.NET Core's routing would match it)",
    )
    points_expiry_mode: Literal["aging", "activity"] = Field(
        default="aging",
        description="[D] docs/vendors/tallymarks.md §9.4: how POST /_sandbox/tallymarks/expire "
        "works",
    )
    points_expiry_months: int = Field(
        default=24,
        ge=12,
        le=60,
        description="[D] docs/vendors/tallymarks.md §9.4: expiry period (12 months to 5 years)",
    )

    @classmethod
    def from_env(cls) -> TallymarksSandboxOptions:
        """Read ``SANDBOX_TALLYMARKS_OPTIONS`` (a JSON object); empty means defaults."""
        raw = os.environ.get("SANDBOX_TALLYMARKS_OPTIONS", "").strip()
        return cls.model_validate(json.loads(raw)) if raw else cls()

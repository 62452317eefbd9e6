"""Switches for every Talon.One behaviour the vendor leaves inferred ([I]) or unknown ([G]).

Each field's default is the choice listed in docs/vendors/talon.md §8; its description cites the
section it comes from. Read from the environment variable ``SANDBOX_TALON_OPTIONS`` (a JSON object)
when no options are passed.
"""

from __future__ import annotations

import json
import os
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class TalonSandboxOptions(BaseModel):
    """Behaviour switches of the Talon.One sandbox (all harmless defaults)."""

    model_config = ConfigDict(extra="forbid")

    processing_delay_ms: float = Field(
        default=0.0,
        ge=0,
        description="Test aid: time each session/profile/event call spends inside its lock, so "
        "overlapping requests reliably get 409 (docs/vendors/talon.md §3.3).",
    )
    conflict_on_overlap: bool = Field(
        default=True,
        description="[I] docs/vendors/talon.md §3.3: a request for a session/profile that is "
        "already being processed gets 409 instead of waiting its turn.",
    )
    accept_bearer_on_audience_deletes: bool = Field(
        default=True,
        description="[D] docs/vendors/talon.md §1.3: DELETE /v2/audiences/{id}(/memberships) fall "
        "back to manager_auth in the 2022 spec: also accept 'Bearer <management token>' there.",
    )
    session_relink: Literal["open_only", "never", "always"] = Field(
        default="open_only",
        description="[G] docs/vendors/talon.md §5.2: may a v2 session update move a session to "
        "another profileId? open_only: only while the session is open; never: 400; always.",
    )
    reject_foreign_session_in_track_event: bool = Field(
        default=True,
        description="[I] docs/vendors/talon.md §5.2: POST /v1/events naming an existing session of "
        "another profile gives 400.",
    )
    replace_session_collections: bool = Field(
        default=True,
        description="[I] docs/vendors/talon.md §5.3: cartItems, attributes and additionalCosts "
        "replace the stored value when sent (false: attributes/additionalCosts are merged, cart "
        "appended).",
    )
    allow_return_of_partially_returned: bool = Field(
        default=True,
        description="[I] docs/vendors/talon.md §5.8: a partially_returned session accepts further "
        "returns.",
    )
    cart_item_flattening: bool = Field(
        default=False,
        description="[D] docs/vendors/talon.md §5.8: with flattening a return may name a quantity; "
        "without it the whole cart line is returned (and the cart quantity sum is not capped).",
    )
    total_sales_uses_session_total: bool = Field(
        default=True,
        description="[I] docs/vendors/talon.md §5.6: closing adds the session total (cart items + "
        "additional costs) to totalSales; false adds only cartItemTotal.",
    )
    item_costs_in_additional_cost_total: bool = Field(
        default=True,
        description="[I] docs/vendors/talon.md §5.19: additionalCostTotal also counts item-level "
        "additional costs times quantity.",
    )
    unknown_session_status: Literal[404, 400] = Field(
        default=404,
        description="[G] docs/vendors/talon.md §5.18: GET /v2/customer_sessions/{id} for an "
        "unknown id: 404 ErrorResponseWithStatus, or 400 ErrorResponse.",
    )
    keep_profile_on_data_deletion: bool = Field(
        default=True,
        description="[I] docs/vendors/talon.md §5.17: DELETE /v1/customer_data/{id} clears "
        "attributes but keeps the profile (false: the profile and its sessions are removed).",
    )
    check_referral_campaign: bool = Field(
        default=True,
        description="[I] docs/vendors/talon.md §5.15: creating a referral for an unknown campaign, "
        "or one without the referrals feature, gives 400.",
    )
    response_content_without_rule_engine: Literal["reject", "ignore", "honour"] = Field(
        default="reject",
        description="[G] docs/vendors/talon.md §5.10: responseContent on a profile update with "
        "runRuleEngine=false: 400 (reject), dropped (ignore), or answered anyway (honour).",
    )
    reject_undefined_attributes: bool = Field(
        default=True,
        description="[D] docs/vendors/talon.md §6.1: attributes not defined for the entity give "
        "400; defined ones are type-checked ('Invalid type') either way.",
    )
    reject_undefined_event_types: bool = Field(
        default=True,
        description="[D] docs/vendors/talon.md §5.5: custom events need a defined event type; "
        "talon_* reserved.",
    )
    always_return_rule_failure_reasons: bool = Field(
        default=False,
        description="[D] docs/vendors/talon.md §6.2: behave like a sandbox Application, which "
        "always returns ruleFailureReasons.",
    )
    default_referral_usage_limit: int = Field(
        default=1,
        ge=0,
        le=999999,
        description="[G] docs/vendors/talon.md §5.15: usageLimit of a referral created without one "
        "(0 = unlimited).",
    )

    short_referral_codes: Literal["reject", "pad"] = Field(
        default="reject",
        description="[G] docs/vendors/talon.md §5.15: a referral pattern shorter than a code's "
        "minimum length (4, the spec's minLength) gives 400 (reject) or is padded with '#' "
        "up to 4 characters (pad).",
    )
    reservation_for_unknown_profile: Literal["create_profile", "reject"] = Field(
        default="create_profile",
        description="[G] docs/vendors/talon.md §5.13: reserving a coupon for an integration id "
        "with no profile creates that (empty) profile, so getReservedCustomers lists it; "
        "reject: 404 for the unknown profile.",
    )

    @classmethod
    def from_env(cls) -> TalonSandboxOptions:
        raw = os.environ.get("SANDBOX_TALON_OPTIONS", "").strip()
        return cls.model_validate(json.loads(raw)) if raw else cls()

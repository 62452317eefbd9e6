"""Assessment rules: which events earn points or change segments (docs/vendors/tallymarks.md §8.7).

A rule matches an event by type, an optional case-insensitive ``nameSpace`` glob (``*``) and
an optional minimum total; its fulfilment is one of the documented actions the sandbox
models. Rules are per tenant, seeded by :func:`default_rules` and replaceable through
``PUT /_sandbox/tallymarks/rules``.
"""

from __future__ import annotations

import fnmatch
import math
import uuid
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from sandbox.tallymarks.records import Event

Fulfilment = Literal[
    "flatPoints", "pointsPerDollar", "addToSegment", "removeFromSegment", "sendEmail", "sendSms"
]
RULE_NAMESPACE = uuid.UUID("6f1c2a52-5d59-4b8e-9a51-7a1f0c6e2d10")


class Rule(BaseModel):
    """One assessment rule (the sandbox's own admin shape, camelCase like the vendor)."""

    model_config = ConfigDict(extra="forbid")

    ruleId: str = Field(description="becomes `assessmentRuleId` of the transactions it writes")
    name: str = Field(min_length=1, description="becomes the transaction `description`")
    eventType: Literal["action", "order", "transaction", "anniversary"]
    nameSpace: str | None = Field(
        default=None, description="case-insensitive glob on the event nameSpace; null = any"
    )
    minTotal: float | None = Field(default=None, description="order/transaction total ≥ this")
    fulfilment: Fulfilment
    points: float = Field(
        default=0, description="flatPoints: n points; pointsPerDollar: n per $ of the total"
    )
    segmentId: str | None = Field(default=None, description="for add/removeFromSegment")
    active: bool = True

    @model_validator(mode="after")
    def _check(self) -> Rule:
        needs_segment = self.fulfilment in ("addToSegment", "removeFromSegment")
        if needs_segment and not self.segmentId:
            raise ValueError("segmentId is required for segment fulfilments")
        return self

    def matches(self, event: Event) -> bool:
        if not self.active or event.event_type != self.eventType:
            return False
        if self.nameSpace is not None and not fnmatch.fnmatchcase(
            (event.name_space or "").lower(), self.nameSpace.lower()
        ):
            return False
        return self.minTotal is None or event_total(event) >= self.minTotal

    def points_for(self, event: Event) -> int:
        """Signed points this rule awards for ``event`` (0 for non-points fulfilments)."""
        if self.fulfilment == "flatPoints":
            return math.floor(self.points)
        if self.fulfilment == "pointsPerDollar":
            return math.floor(self.points * event_total(event) + 1e-9)
        return 0


def event_total(event: Event) -> float:
    """``Order.Total`` / ``Transaction.Total`` / ``Action.amount``: what points-per-$ uses."""
    detail = event.detail or {}
    value = detail.get("total", detail.get("amount", 0))
    return float(value or 0)


def rule_id(tenant_id: str, slug: str) -> str:
    return str(uuid.uuid5(RULE_NAMESPACE, f"{tenant_id}:{slug}"))


def default_rules(tenant_id: str, segment_ids: dict[str, str]) -> list[Rule]:
    """The seeded rules of a tenant (``segment_ids`` maps catalogue names to ids)."""

    def rule(slug: str, **fields: object) -> Rule:
        return Rule.model_validate({"ruleId": rule_id(tenant_id, slug), **fields})

    return [
        rule(
            "order-points",
            name="1 point per $1 spent online",
            eventType="order",
            fulfilment="pointsPerDollar",
            points=1,
        ),
        rule(
            "transaction-points",
            name="1 point per $2 spent in store",
            eventType="transaction",
            fulfilment="pointsPerDollar",
            points=0.5,
        ),
        rule(
            "registration",
            name="Welcome bonus",
            eventType="action",
            nameSpace="Customer.Registration",
            fulfilment="flatPoints",
            points=100,
        ),
        rule(
            "review",
            name="Review bonus",
            eventType="action",
            nameSpace="Customer.Review*",
            fulfilment="flatPoints",
            points=25,
        ),
        rule(
            "anniversary",
            name="Anniversary bonus",
            eventType="anniversary",
            fulfilment="flatPoints",
            points=50,
        ),
        rule(
            "big-spender",
            name="Big spenders join High Value",
            eventType="order",
            minTotal=500,
            fulfilment="addToSegment",
            segmentId=segment_ids["High Value"],
        ),
        rule(
            "newsletter",
            name="Newsletter sign-up",
            eventType="action",
            nameSpace="Customer.Newsletter.Subscribe",
            fulfilment="addToSegment",
            segmentId=segment_ids["Newsletter"],
        ),
        rule(
            "order-email",
            name="Order thank-you email",
            eventType="order",
            minTotal=250,
            fulfilment="sendEmail",
        ),
    ]

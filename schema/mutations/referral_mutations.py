"""Referral codes (Talon.One)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import strawberry
from strawberry.scalars import JSON

from gateway.errors import BadUserInputError
from resolvers.writes.input_limits import check_instant
from resolvers.writes.referrals import create_referral, create_referrals
from resolvers.writes.validation import (
    MAX_IDS_PER_CALL,
    check_count,
    check_json_object,
    check_non_empty,
)
from schema.customer import Customer
from schema.info import Info
from schema.mutations.declare import mutation, payload
from schema.permissions import CanManagePromotions
from schema.promotions import Referral
from vendors.talon.models import (
    InventoryReferral,
    NewReferral,
    NewReferralsForMultipleAdvocates,
)
from vendors.talon.models import Referral as TalonReferral

__all__ = [
    "CreateReferralInput",
    "CreateReferralPayload",
    "CreateReferralsInput",
    "CreateReferralsPayload",
    "ReferralMutation",
]

MAX_USAGE_LIMIT = 999_999


@strawberry.input(description="The rules of new referral codes.")
class ReferralTermsInput:
    campaign_id: int = strawberry.field(description="The referral campaign.")
    usage_limit: int | None = strawberry.field(
        default=None,
        description="How many friends may use a code (0 = no limit); the campaign's default "
        "when left out.",
    )
    starts_at: datetime | None = strawberry.field(
        default=None, description="From when a code may be used; at once when left out."
    )
    expires_at: datetime | None = strawberry.field(
        default=None, description="Until when a code may be used; no end when left out."
    )
    attributes: JSON | None = strawberry.field(
        default=None, description="Custom referral attributes, as a JSON object."
    )

    def _apply(
        self, referral: NewReferral | NewReferralsForMultipleAdvocates, argument: str
    ) -> None:
        """Check the terms and set those given (left-out ones are not sent)."""
        if self.usage_limit is not None and not 0 <= self.usage_limit <= MAX_USAGE_LIMIT:
            raise BadUserInputError(
                f"Between 0 and {MAX_USAGE_LIMIT}.", argument=f"{argument}.usageLimit"
            )
        check_instant(self.starts_at, f"{argument}.startsAt")
        check_instant(self.expires_at, f"{argument}.expiresAt")
        if self.starts_at and self.expires_at and self.expires_at <= self.starts_at:
            raise BadUserInputError(
                "The end must come after the start.", argument=f"{argument}.expiresAt"
            )
        if self.starts_at is not None:
            referral.start_date = self.starts_at
        if self.expires_at is not None:
            referral.expiry_date = self.expires_at
        if self.attributes is not None:
            referral.attributes = check_json_object(self.attributes, f"{argument}.attributes")


@strawberry.input(description="A referral code for one advocate.")
class CreateReferralInput(ReferralTermsInput):
    advocate_id: strawberry.ID = strawberry.field(
        description="The customer who shares the code (canonical id)."
    )
    friend_id: strawberry.ID | None = strawberry.field(
        default=None, description="The one friend who may use it; anyone when left out."
    )

    def to_talon(self, argument: str) -> NewReferral:
        referral = NewReferral(
            campaign_id=self.campaign_id,
            advocate_profile_integration_id=check_non_empty(
                str(self.advocate_id), f"{argument}.advocateId"
            ),
        )
        self._apply(referral, argument)
        if self.friend_id is not None:
            referral.friend_profile_integration_id = str(self.friend_id)
        if self.usage_limit is not None:
            referral.usage_limit = self.usage_limit
        return referral


@strawberry.input(description="Referral codes for many advocates: one each.")
class CreateReferralsInput(ReferralTermsInput):
    advocate_ids: list[strawberry.ID] = strawberry.field(
        description="The customers who each get a code (1 to 1000)."
    )
    code_pattern: str | None = strawberry.field(
        default=None,
        description="The codes' shape, each `#` a random character, e.g. `REF-###-###`.",
    )

    def to_talon(self, argument: str) -> NewReferralsForMultipleAdvocates:
        check_count(self.advocate_ids, f"{argument}.advocateIds", least=1, most=MAX_IDS_PER_CALL)
        if self.code_pattern is not None and not 3 <= len(self.code_pattern) <= 100:
            raise BadUserInputError(
                "Between 3 and 100 characters.", argument=f"{argument}.codePattern"
            )
        referrals = NewReferralsForMultipleAdvocates(
            campaign_id=self.campaign_id,
            advocate_profile_integration_ids=list(dict.fromkeys(map(str, self.advocate_ids))),
            usage_limit=self.usage_limit if self.usage_limit is not None else 1,
        )
        self._apply(referrals, argument)
        if self.code_pattern is not None:
            referrals.referral_pattern = self.code_pattern
        return referrals


def _referral(r: TalonReferral) -> Referral:
    """A new code has no referred customers yet."""
    return Referral.from_talon(InventoryReferral(**r.model_dump(), referred_customers=[]))


@payload
class CreateReferralPayload:
    referral: Referral = strawberry.field(description="The new referral code.")
    advocate: Customer = strawberry.field(description="The customer who shares it.")


@strawberry.type(description="A referral code made for one advocate.")
class AdvocateReferral:
    advocate: Customer = strawberry.field(description="The customer who shares it.")
    referral: Referral = strawberry.field(description="The code.")


@payload
class CreateReferralsPayload:
    referrals: list[AdvocateReferral] = strawberry.field(description="One code per advocate.")


@strawberry.type
class ReferralMutation:
    @mutation(CanManagePromotions, description="Make a referral code for a customer to share.")
    async def create_referral(
        self,
        info: Info,
        input: Annotated[CreateReferralInput, strawberry.argument(description="The code's terms.")],
    ) -> CreateReferralPayload:
        created = await create_referral(info.context, input.to_talon("input"))
        return CreateReferralPayload(
            referral=_referral(created),
            advocate=Customer.from_id(created.advocate_profile_integration_id),
        )

    @mutation(
        CanManagePromotions, description="Make a referral code for each of many customers at once."
    )
    async def create_referrals(
        self,
        info: Info,
        input: Annotated[
            CreateReferralsInput, strawberry.argument(description="The codes' terms.")
        ],
    ) -> CreateReferralsPayload:
        created = await create_referrals(info.context, input.to_talon("input"))
        return CreateReferralsPayload(
            referrals=[
                AdvocateReferral(
                    advocate=Customer.from_id(r.advocate_profile_integration_id),
                    referral=_referral(r),
                )
                for r in created
            ]
        )

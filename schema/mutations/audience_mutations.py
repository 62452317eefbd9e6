"""Audiences of the promotion engine (Talon.One)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime
from enum import Enum
from typing import Annotated, Self

import strawberry
from strawberry import relay
from strawberry.scalars import JSON

from gateway.context import GraphQLContext
from gateway.errors import BadUserInputError
from resolvers.writes import audiences as writes
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
from schema.promotions import Audience
from vendors.path_segments import parse_ascii_number
from vendors.talon.models import Audience as TalonAudience
from vendors.talon.models import AudienceMembership, NewAudience

__all__ = [
    "AudienceMembershipAction",
    "AudienceMembershipChangeInput",
    "AudienceMutation",
    "CreateAudienceInput",
    "audience_id",
]

AudienceIdArg = Annotated[
    strawberry.ID,
    strawberry.argument(description="The audience's id (its number, or the `Audience.id`)."),
]


def audience_id(value: strawberry.ID | str, argument: str) -> int:
    """An audience id: its number (ASCII digits, a positive int64), or a global id whose key
    is that number. ``str.isdigit`` would take ``"٣"`` for 3 and crash on ``"¹"``."""
    raw = str(value)
    number = parse_ascii_number(raw)
    if number is None:
        try:
            node_id = relay.GlobalID.from_id(raw).node_id
        except Exception:  # malformed base64 or text: strawberry raises several types
            node_id = ""
        number = parse_ascii_number(node_id)
    if number is None:
        raise BadUserInputError("Not an audience id.", argument=argument)
    return number


@strawberry.input(description="A new audience.")
class CreateAudienceInput:
    name: str = strawberry.field(description="The audience's name (not empty).")
    description: str | None = strawberry.field(default=None, description="What it is for.")
    integration: str | None = strawberry.field(
        default=None,
        description="The platform it mirrors (e.g. `segment`), with `integrationId`.",
    )
    integration_id: str | None = strawberry.field(
        default=None, description="The audience's id in that platform (unique per platform)."
    )

    def to_talon(self, argument: str) -> NewAudience:
        audience = NewAudience(name=check_non_empty(self.name, f"{argument}.name"))
        if self.description is not None:
            audience.description = self.description
        if (self.integration is None) != (self.integration_id is None):
            raise BadUserInputError(
                "Give integration and integrationId together.", argument=f"{argument}.integration"
            )
        if self.integration is not None and self.integration_id is not None:
            audience.integration = check_non_empty(self.integration, f"{argument}.integration")
            audience.integration_id = check_non_empty(
                self.integration_id, f"{argument}.integrationId", most=1000
            )
        return audience


@strawberry.enum(description="What to do with a customer's membership of an audience.")
class AudienceMembershipAction(Enum):
    ADD = strawberry.enum_value("ADD", description="Add the customer to the audience.")
    REMOVE = strawberry.enum_value("REMOVE", description="Remove the customer from it.")


@strawberry.input(description="One membership change.")
class AudienceMembershipChangeInput:
    customer_id: strawberry.ID = strawberry.field(description="The customer's canonical id.")
    audience_id: strawberry.ID = strawberry.field(description="The audience's id.")
    action: AudienceMembershipAction = strawberry.field(description="Add or remove.")


@strawberry.type
class _AudienceWritten:
    audience: Audience = strawberry.field(description="The audience.")
    description: str | None = strawberry.field(description="What it is for.")
    integration: str | None = strawberry.field(description="The platform it mirrors, if any.")
    integration_id: str | None = strawberry.field(description="Its id in that platform.")
    created_at: datetime = strawberry.field(description="When it was created.")

    @classmethod
    def from_talon(cls, a: TalonAudience) -> Self:
        return cls(
            audience=Audience.from_talon(AudienceMembership(id=a.id, name=a.name)),
            description=a.description,
            integration=a.integration,
            integration_id=a.integration_id,
            created_at=a.created,
        )


@payload
class CreateAudiencePayload(_AudienceWritten): ...


@payload
class UpdateAudiencePayload(_AudienceWritten): ...


@strawberry.type
class _AudienceChanged:
    audience_id: int = strawberry.field(description="The audience's numeric id.")

    @classmethod
    async def after(
        cls, info: Info, id: strawberry.ID, write: Callable[[GraphQLContext, int], Awaitable[None]]
    ) -> Self:
        """Run ``write`` on the audience ``id`` names and answer with its number: the whole of
        a mutation that changes one audience and has nothing else to report."""
        number = audience_id(id, "id")
        await write(info.context, number)
        return cls(audience_id=number)


@payload
class DeleteAudiencePayload(_AudienceChanged): ...


@payload
class ClearAudienceMembersPayload(_AudienceChanged): ...


@payload
class SetAudienceMemberAttributesPayload(_AudienceChanged): ...


@payload
class UpdateAudienceMembershipsPayload:
    changed: int = strawberry.field(description="How many changes were applied.")
    customers: list[Customer] = strawberry.field(description="The customers changed, read fresh.")


@strawberry.type
class AudienceMutation:
    @mutation(
        CanManagePromotions,
        description="Create an audience; mirroring one platform audience twice is a CONFLICT.",
    )
    async def create_audience(
        self,
        info: Info,
        input: Annotated[CreateAudienceInput, strawberry.argument(description="The audience.")],
    ) -> CreateAudiencePayload:
        created = await writes.create_audience(info.context, input.to_talon("input"))
        return CreateAudiencePayload.from_talon(created)

    @mutation(CanManagePromotions, description="Rename an audience.")
    async def update_audience(
        self,
        info: Info,
        id: AudienceIdArg,
        name: Annotated[str, strawberry.argument(description="The new name (not empty).")],
    ) -> UpdateAudiencePayload:
        renamed = await writes.rename_audience(
            info.context, audience_id(id, "id"), check_non_empty(name, "name")
        )
        return UpdateAudiencePayload.from_talon(renamed)

    @mutation(CanManagePromotions, description="Delete an audience and all its memberships.")
    async def delete_audience(self, info: Info, id: AudienceIdArg) -> DeleteAudiencePayload:
        return await DeleteAudiencePayload.after(info, id, writes.delete_audience)

    @mutation(CanManagePromotions, description="Remove every customer from an audience (it stays).")
    async def clear_audience_members(
        self, info: Info, id: AudienceIdArg
    ) -> ClearAudienceMembersPayload:
        return await ClearAudienceMembersPayload.after(info, id, writes.clear_audience_members)

    @mutation(
        CanManagePromotions,
        description="Set promotion profile attributes on every current member of an audience.",
    )
    async def set_audience_member_attributes(
        self,
        info: Info,
        id: AudienceIdArg,
        attributes: Annotated[
            JSON,
            strawberry.argument(
                description="The attributes as a JSON object (defined in the promotion engine)."
            ),
        ],
    ) -> SetAudienceMemberAttributesPayload:
        number = audience_id(id, "id")
        attrs = check_json_object(attributes, "attributes")
        if not attrs:
            raise BadUserInputError("Give at least one attribute.", argument="attributes")
        await writes.set_audience_member_attributes(info.context, number, attrs)
        return SetAudienceMemberAttributesPayload(audience_id=number)

    @mutation(
        CanManagePromotions,
        description="Add customers to and remove them from audiences, in one call (up to 1000).",
    )
    async def update_audience_memberships(
        self,
        info: Info,
        changes: Annotated[
            list[AudienceMembershipChangeInput],
            strawberry.argument(description="The changes (1 to 1000)."),
        ],
    ) -> UpdateAudienceMembershipsPayload:
        check_count(changes, "changes", least=1, most=MAX_IDS_PER_CALL)
        planned = [
            writes.MembershipChange(
                customer_id=check_non_empty(str(c.customer_id), f"changes[{i}].customerId"),
                audience_id=audience_id(c.audience_id, f"changes[{i}].audienceId"),
                action=writes.MembershipAction[c.action.name],
            )
            for i, c in enumerate(changes)
        ]
        await writes.update_audience_memberships(info.context, planned)
        ids = list(dict.fromkeys(c.customer_id for c in planned))
        return UpdateAudienceMembershipsPayload(
            changed=len(planned), customers=[Customer.from_id(i) for i in ids]
        )

"""Support desk writes (Omnidesk): channels, timeline events, CRM sync."""

from __future__ import annotations

import re
from enum import Enum
from typing import Annotated

import strawberry

from gateway.errors import BadUserInputError
from resolvers.writes import support as writes
from resolvers.writes.validation import (
    check_email,
    check_non_empty,
    check_phone,
    check_url,
)
from schema.customer import Customer
from schema.info import Info
from schema.mutations.arguments import CustomerIdArg
from schema.mutations.declare import mutation, payload
from schema.permissions import CanManageSupport
from schema.support import SupportChannelType
from vendors.omnidesk.models import CrmChannel, ExternalEvent, NewChannels

__all__ = [
    "AddSupportChannelPayload",
    "CrmLookupChannel",
    "RecordTimelineEventPayload",
    "RemoveSupportChannelPayload",
    "SupportMutation",
    "SyncCustomerWithCrmPayload",
]

#: a Twitter/Facebook handle as the support desk accepts it
_HANDLE = r"^[a-zA-Z0-9_ ]+$"


def _channels(kind: SupportChannelType, address: str) -> NewChannels:
    if kind is SupportChannelType.EMAIL:
        check_email(address, "address")
        return NewChannels(email=address.strip())
    if kind is SupportChannelType.TELEPHONE:
        check_phone(address, "address")
        return NewChannels(telephone=address)
    if kind in (SupportChannelType.TWITTER, SupportChannelType.FACEBOOK):
        if not re.fullmatch(_HANDLE, address):
            raise BadUserInputError(
                "A handle may hold letters, digits, `_` and spaces.", argument="address"
            )
        if kind is SupportChannelType.TWITTER:
            return NewChannels(twitter=address)
        return NewChannels(facebook=address)
    raise BadUserInputError("Channels of this type cannot be added here.", argument="type")


@strawberry.enum(description="The kind of address the CRM is asked about.")
class CrmLookupChannel(Enum):
    EMAIL = strawberry.enum_value("email", description="An e-mail address.")
    PHONE = strawberry.enum_value("phoneNumber", description="An E.164 phone number.")


@payload
class AddSupportChannelPayload:
    customer: Customer = strawberry.field(description="The customer, with the new channel.")


@payload
class RemoveSupportChannelPayload:
    customer: Customer = strawberry.field(description="The customer, without the channel.")
    removed_channel_id: int = strawberry.field(description="The removed channel's id.")


@payload
class RecordTimelineEventPayload:
    customer: Customer = strawberry.field(description="The customer, with the new entry.")
    timeline_entry_id: strawberry.ID | None = strawberry.field(
        description="The new timeline entry's id, when the support desk gives one."
    )


@payload
class SyncCustomerWithCrmPayload:
    customers: list[Customer] = strawberry.field(
        description="The customers linked to the address after the sync."
    )


@strawberry.type
class SupportMutation:
    @mutation(
        CanManageSupport,
        description=(
            "Link an address to the customer at the support desk, so their messages reach "
            "their record. Linking an address they already have changes nothing."
        ),
    )
    async def add_support_channel(
        self,
        info: Info,
        customer_id: CustomerIdArg,
        type: Annotated[
            SupportChannelType,
            strawberry.argument(description="EMAIL, TELEPHONE, FACEBOOK or TWITTER."),
        ],
        address: Annotated[
            str,
            strawberry.argument(description="The e-mail, E.164 phone number or handle."),
        ],
    ) -> AddSupportChannelPayload:
        channels = _channels(type, address)
        await writes.add_channel(info.context, str(customer_id), channels)
        return AddSupportChannelPayload(customer=Customer.from_id(str(customer_id)))

    @mutation(
        CanManageSupport,
        description="Unlink one of the customer's support channels, by its id or its address.",
    )
    async def remove_support_channel(
        self,
        info: Info,
        customer_id: CustomerIdArg,
        channel_id: Annotated[
            int | None, strawberry.argument(description="The channel's id (`SupportChannel.id`).")
        ] = None,
        address: Annotated[
            str | None, strawberry.argument(description="Or the channel's address.")
        ] = None,
    ) -> RemoveSupportChannelPayload:
        if (channel_id is None) == (address is None):
            raise BadUserInputError("Give either channelId or address.", argument="channelId")
        removed = await writes.remove_channel(info.context, str(customer_id), channel_id, address)
        return RemoveSupportChannelPayload(
            customer=Customer.from_id(str(customer_id)), removed_channel_id=removed
        )

    @mutation(
        CanManageSupport,
        description=(
            "Add an entry to the customer's support timeline (an order, a mailing …) for "
            "agents to see."
        ),
    )
    async def record_timeline_event(
        self,
        info: Info,
        customer_id: CustomerIdArg,
        message: Annotated[str, strawberry.argument(description="What happened (not empty).")],
        initiated_by: Annotated[
            str | None, strawberry.argument(description="Who or what did it, e.g. `webshop`.")
        ] = None,
        source_url: Annotated[
            str | None, strawberry.argument(description="A link to the details (http or https).")
        ] = None,
    ) -> RecordTimelineEventPayload:
        check_url(source_url, "sourceUrl")
        event = ExternalEvent(
            message=check_non_empty(message, "message"),
            initiated_by=initiated_by,
            source_url=source_url,
        )
        entry_id = await writes.record_timeline_event(info.context, str(customer_id), event)
        return RecordTimelineEventPayload(
            customer=Customer.from_id(str(customer_id)),
            timeline_entry_id=strawberry.ID(str(entry_id)) if entry_id is not None else None,
        )

    @mutation(
        CanManageSupport,
        description=(
            "Ask the brand's CRM about an address and apply what it knows (names, primary id, "
            "custom fields) at the support desk. Needs a CRM lookup URL on the brand."
        ),
    )
    async def sync_customer_with_crm(
        self,
        info: Info,
        channel: Annotated[
            CrmLookupChannel, strawberry.argument(description="The kind of address.")
        ],
        address: Annotated[str, strawberry.argument(description="The e-mail or phone number.")],
    ) -> SyncCustomerWithCrmPayload:
        if channel is CrmLookupChannel.EMAIL:
            check_email(address, "address")
        else:
            check_phone(address, "address")
        crm_channel: CrmChannel = "email" if channel is CrmLookupChannel.EMAIL else "phoneNumber"
        ids = await writes.sync_with_crm(info.context, crm_channel, address.strip())
        return SyncCustomerWithCrmPayload(customers=[Customer.from_id(i) for i in ids])

"""Customer service types (Omnidesk): the support profile, its channels and custom fields,
the support timeline, the support desk's customer index (a connection with its total), and
the queries that find a customer through the support desk."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Generic, TypedDict, TypeVar

import strawberry
from strawberry import relay

from gateway.errors import BadUserInputError
from resolvers.support import (
    SupportIndexPage,
    customer_id_by_support_id,
    customer_ids_by_channel,
    support_customer_index,
)
from schema.customer_ref import CustomerRef, customer_from_id
from schema.event import Event, EventSource
from schema.info import Info
from schema.offset_paging import AfterArg, FirstCustomersArg, edges_of, page_info_of
from schema.permissions import CanReadCustomers
from schema.vendor_data import TolerantFields
from vendors.omnidesk.models import Channel as OmnideskChannel
from vendors.omnidesk.models import Customer as OmnideskCustomer
from vendors.omnidesk.models import CustomerSummary as OmnideskCustomerSummary
from vendors.omnidesk.models import TimelineEntry as OmnideskTimelineEntry

__all__ = [
    "SupportBrand",
    "SupportChannel",
    "SupportChannelType",
    "SupportCustomField",
    "SupportCustomer",
    "SupportCustomerConnection",
    "SupportProfile",
    "SupportQuery",
    "TimelineEntry",
    "TimelineEntryKind",
]


@strawberry.enum(description="The kind of a support channel.")
class SupportChannelType(Enum):
    EMAIL = strawberry.enum_value("email", description="An e-mail address.")
    TELEPHONE = strawberry.enum_value(
        "telephone", description="A telephone number in E.164 form (`+31612345678`)."
    )
    FACEBOOK = strawberry.enum_value("facebook", description="A Facebook account.")
    TWITTER = strawberry.enum_value("twitter", description="A Twitter (X) handle.")
    OTHER = strawberry.enum_value(
        "other", description="A custom channel of the support desk; see `typeName`."
    )

    @classmethod
    def from_omnidesk(cls, name: str) -> SupportChannelType:
        try:
            return cls(name.strip().lower())
        except ValueError:
            return cls.OTHER


@strawberry.type(description="A way to reach the customer that the support desk knows.")
class SupportChannel:
    id: int = strawberry.field(
        description="The channel's own id at the support desk (to remove this channel)."
    )
    type: SupportChannelType = strawberry.field(description="What kind of address this is.")
    type_name: str = strawberry.field(
        description="The support desk's name for the channel type (also for custom channels)."
    )
    address: str = strawberry.field(
        description="The address: e-mail, E.164 phone number or social account."
    )

    @classmethod
    def from_omnidesk(cls, c: OmnideskChannel) -> SupportChannel:
        type_name = c.channel_name or str(c.channel_id)
        return cls(
            id=c.id,
            type=SupportChannelType.from_omnidesk(type_name),
            type_name=type_name,
            address=c.address,
        )


@strawberry.type(description="A brand of the support desk; customers belong to one brand.")
class SupportBrand:
    id: int | None = strawberry.field(description="The brand's id at the support desk.")
    name: str | None = strawberry.field(description="The brand's name.")


@strawberry.type(description="A custom field the support desk keeps about the customer.")
class SupportCustomField:
    name: str = strawberry.field(description="The field's name, e.g. `tier`.")
    value: str = strawberry.field(description="The field's value, as text.")


_tolerant: TolerantFields[OmnideskCustomerSummary] = TolerantFields("omnidesk")


#: the record a view keeps: the index's summary, or the full record
_Record = TypeVar("_Record", bound=OmnideskCustomerSummary)


class _PersonFields(TypedDict, Generic[_Record]):
    """The keyword arguments of :class:`_SupportPerson`'s own fields, typed so that either
    view's ``cls(**person_of(c), ...)`` is checked."""

    support_id: int
    channels: list[SupportChannel]
    source: _Record


@strawberry.type
class _SupportPerson:
    """What both views of a support desk customer (the index's and the full record's) show,
    from the record kept as ``source``."""

    support_id: int = strawberry.field(
        description="The customer's numeric id at the support desk (see `customerBySupportId`)."
    )
    channels: list[SupportChannel] = strawberry.field(
        description="E-mail addresses, phone numbers and social accounts linked to the customer."
    )

    #: the record as read (the names are read tolerantly)
    source: strawberry.Private[OmnideskCustomerSummary]

    first_name: str | None = _tolerant(
        lambda c: c.firstname or None, "Given name; null when not set."
    )
    last_name: str | None = _tolerant(
        lambda c: c.lastname or None, "Family name; null when not set."
    )

    @staticmethod
    def person_of(c: _Record) -> _PersonFields[_Record]:
        """The constructor arguments of the shared fields, for either view."""
        return _PersonFields(
            support_id=c.id,
            channels=[SupportChannel.from_omnidesk(ch) for ch in c.channels],
            source=c,
        )


@strawberry.type(description="The customer as the support desk (Omnidesk) knows them.")
class SupportProfile(_SupportPerson):
    brand: SupportBrand = strawberry.field(description="The brand the customer belongs to.")
    custom_fields: list[SupportCustomField] = strawberry.field(
        description="Custom fields, sorted by name."
    )

    #: the full record (the index's plus brand id and custom fields)
    source: strawberry.Private[OmnideskCustomer]

    @classmethod
    def from_omnidesk(cls, c: OmnideskCustomer) -> SupportProfile:
        return cls(
            **cls.person_of(c),
            brand=SupportBrand(id=c.brand_id, name=c.brand_name or None),
            custom_fields=[
                SupportCustomField(name=name, value=value)
                for name, value in sorted(c.custom_fields.items())
            ],
        )


@strawberry.type(
    description=(
        "A customer as the support desk's index lists them, in any brand of the support "
        "account. The index carries no custom fields and no brand id: `customerBySupportId` "
        "→ `supportProfile` has them for a customer of this tenant."
    )
)
class SupportCustomer(_SupportPerson):
    primary_id: str | None = strawberry.field(
        description=(
            "The merchant's id for them in their brand (in the tenant's main brand, the "
            "canonical customer id); null when the support desk has none."
        )
    )
    brand_name: str | None = strawberry.field(description="The name of their brand.")

    @classmethod
    def from_omnidesk(cls, c: OmnideskCustomerSummary) -> SupportCustomer:
        return cls(
            **cls.person_of(c),
            primary_id=c.external_primary_id or None,
            brand_name=c.brand_name or None,
        )


@strawberry.type(description="A page of the support desk's customers, with how many there are.")
class SupportCustomerConnection(relay.Connection[SupportCustomer]):  # type: ignore[type-var]  # not Nodes
    total_count: int = strawberry.field(
        description="How many customers the support desk's index holds (as it counts them)."
    )

    @classmethod
    def from_page(cls, found: SupportIndexPage) -> SupportCustomerConnection:
        return cls(
            page_info=page_info_of(found.page),
            edges=edges_of(found.page, SupportCustomer.from_omnidesk),
            total_count=found.total,
        )


@strawberry.enum(description="What a support timeline entry records.")
class TimelineEntryKind(Enum):
    EXTERNAL_EVENT = strawberry.enum_value(
        "external_event",
        description="Something another system recorded, e.g. an order or a marketing mail.",
    )
    TICKET = strawberry.enum_value("ticket", description="A support ticket of the customer.")
    OTHER = strawberry.enum_value("other", description="Any other kind of entry.")

    @classmethod
    def from_omnidesk(cls, name: str) -> TimelineEntryKind:
        try:
            return cls(name)
        except ValueError:
            return cls.OTHER


@strawberry.type(
    description=(
        "One entry of the customer's support timeline (Omnidesk): an event another system "
        "recorded there (an order, a mailing) or a support ticket."
    )
)
class TimelineEntry(Event):
    entry_kind: TimelineEntryKind = strawberry.field(
        description="What the entry records (`kind` as an enum)."
    )
    message: str = strawberry.field(
        description="The entry's text: the event's message, or the ticket's subject."
    )
    initiated_by: str | None = strawberry.field(
        description="Who or what caused it: a system name, or a ticket's contact address."
    )
    source_url: str | None = strawberry.field(
        description="A link to the record in the system it came from."
    )
    ticket_id: int | None = strawberry.field(
        description="The ticket's id at the support desk; null unless `entryKind` is TICKET."
    )
    ticket_status: str | None = strawberry.field(
        description=(
            "The ticket's status (e.g. `open`, `closed`); null unless `entryKind` is TICKET."
        )
    )

    @classmethod
    def from_omnidesk(cls, e: OmnideskTimelineEntry) -> TimelineEntry:
        kind = TimelineEntryKind.from_omnidesk(e.type)
        is_ticket = kind is TimelineEntryKind.TICKET
        summary = f"Ticket: {e.message}" + (f" ({e.status})" if e.status else "")
        return cls(
            id=strawberry.ID(f"support:{e.type}:{e.id}"),
            occurred_at=e.created,
            source=EventSource.SUPPORT,
            kind=e.type,
            summary=summary if is_ticket else e.message,
            entry_kind=kind,
            message=e.message,
            initiated_by=e.initiated_by or None,
            source_url=e.source_url or None,
            ticket_id=e.ticket_id if is_ticket else None,
            ticket_status=e.status if is_ticket else None,
        )


def newest_first(entries: list[OmnideskTimelineEntry]) -> list[TimelineEntry]:
    """Timeline entries in one order whatever the support desk's: newest first."""
    ordered = sorted(entries, key=lambda e: (e.created, e.type, e.id), reverse=True)
    return [TimelineEntry.from_omnidesk(e) for e in ordered]


@strawberry.type
class SupportQuery:
    @strawberry.field(
        permission_classes=[CanReadCustomers],
        description=(
            "Customers with a support channel at this address: an e-mail address, an E.164 "
            "phone number or a social account. Empty when nobody has it."
        ),
    )
    async def customers_by_channel(
        self,
        info: Info,
        value: Annotated[
            str,
            strawberry.argument(description="The address, exactly as the channel holds it."),
        ],
    ) -> list[CustomerRef]:
        value = value.strip()
        if not value:
            raise BadUserInputError("Give an address to look for.", argument="value")
        return [customer_from_id(i) for i in await customer_ids_by_channel(info.context, value)]

    @strawberry.field(
        permission_classes=[CanReadCustomers],
        description=(
            "Every customer of the support desk (all brands of the tenant's support account), "
            "in its order, with `totalCount` from the support desk. Pass `pageInfo.endCursor` "
            "as `after` for the next page."
        ),
    )
    async def support_customers(
        self,
        info: Info,
        first: FirstCustomersArg = 20,
        after: AfterArg = None,
    ) -> SupportCustomerConnection | None:
        found = await support_customer_index(info.context, first=first, after=after)
        return SupportCustomerConnection.from_page(found)

    @strawberry.field(
        permission_classes=[CanReadCustomers],
        description=(
            "The customer behind a support desk customer id; null when the support desk has "
            "no such customer or it is not linked to a customer of this tenant."
        ),
    )
    async def customer_by_support_id(
        self,
        info: Info,
        support_id: Annotated[
            int,
            strawberry.argument(description="The customer's numeric id at the support desk."),
        ],
    ) -> CustomerRef | None:
        if support_id < 1:
            raise BadUserInputError("Support ids are positive.", argument="supportId")
        found = await customer_id_by_support_id(info.context, support_id)
        return customer_from_id(found) if found else None

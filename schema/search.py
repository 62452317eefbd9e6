"""Finding customers: keyword search as a Relay connection, and exact lookups."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry import relay

from resolvers import search
from resolvers.offset_cursor import OffsetPage
from schema.customer import Customer
from schema.info import Info
from schema.offset_paging import FirstCustomersArg, edges_of, page_info_of
from schema.permissions import CanReadCustomers
from vendors.tallymarks.models import CustomerSummary

__all__ = ["CustomerConnection", "SearchQuery"]


def _customer(summary: CustomerSummary) -> Customer:
    return Customer.from_id(summary.customer_id)


@strawberry.type(description="A page of customers.")
class CustomerConnection(relay.Connection[Customer]):
    @classmethod
    def from_page(cls, page: OffsetPage[CustomerSummary]) -> CustomerConnection:
        return cls(page_info=page_info_of(page), edges=edges_of(page, _customer))


@strawberry.type
class SearchQuery:
    @strawberry.field(
        permission_classes=[CanReadCustomers],
        description=(
            "Customers whose name, e-mail, phone or external reference contains `search` "
            "(case-insensitive; every customer when it is left out), in the loyalty system's "
            "order. Names, e-mail and `createdAt` of the results cost no extra lookups. Pass "
            "`pageInfo.endCursor` as `after` (with the same `search`) for the next page."
        ),
    )
    async def customers(
        self,
        info: Info,
        search_text: Annotated[
            str | None,
            strawberry.argument(
                name="search", description="Text to look for; leave out to list everyone."
            ),
        ] = None,
        first: FirstCustomersArg = 20,
        after: Annotated[
            str | None,
            strawberry.argument(description="Start after this cursor (from the same search)."),
        ] = None,
    ) -> CustomerConnection | None:
        page = await search.search_customers(info.context, search_text, first=first, after=after)
        return CustomerConnection.from_page(page)

    @strawberry.field(
        permission_classes=[CanReadCustomers],
        description="The customer with exactly this e-mail address (case-insensitive); null "
        "when there is none.",
    )
    async def customer_by_email(
        self,
        info: Info,
        email: Annotated[str, strawberry.argument(description="The e-mail address.")],
    ) -> Customer | None:
        found = await search.customer_by_email(info.context, email)
        return _customer(found) if found else None

    @strawberry.field(
        permission_classes=[CanReadCustomers],
        description="The customer with exactly this external reference (the merchant's own "
        "id for them, case-insensitive); null when there is none.",
    )
    async def customer_by_external_reference(
        self,
        info: Info,
        reference: Annotated[
            str, strawberry.argument(description="The merchant's reference, e.g. `CRM-0-000042`.")
        ],
    ) -> Customer | None:
        found = await search.customer_by_external_reference(info.context, reference)
        return _customer(found) if found else None

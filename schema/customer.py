"""The Customer type: one person, joined across the vendors by the identity rule
(canonical id = Tallymarks ``customerId`` = Talon.One ``integrationId`` = Omnidesk
``external_primary_id`` in the tenant's brand). ``Customer.by_id`` is ``customer(id:)``:
it answers unconfirmed when the loyalty system fails (:mod:`resolvers.customer_identity`)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

import strawberry
from strawberry import relay

from resolvers.customer_identity import CONFIRMED, Identity, customer_identity
from resolvers.customers import customers_by_ids, loyalty_customer
from resolvers.search import customer_summary
from schema.customer_activity import ActivityFields
from schema.customer_identity import CustomerIdentity, UnconfirmedCustomerError
from schema.customer_loyalty import LoyaltyFields
from schema.customer_promotions import PromotionFields
from schema.customer_ref import register_customer_factory
from schema.customer_support import SupportFields
from schema.info import Info
from schema.loyalty_profile import LoyaltyProfile

if TYPE_CHECKING:
    from vendors.tallymarks.models import Customer as TallymarksCustomer
    from vendors.tallymarks.models import CustomerSummary


def _summary_field(value: Callable[[CustomerSummary], object], description: str) -> Any:
    """A field of the customer's summary (names, e-mail, join date): every such field reads
    the one summary (a search result of this request, else the profile); null without it.
    The class annotates the field's GraphQL type."""

    async def resolve(root: Customer, info: Info) -> object:
        found = await customer_summary(info.context, root.key)
        return value(found) if found else None

    return strawberry.field(resolver=resolve, description=description)


@strawberry.type(
    description=(
        "A customer as the loyalty, support and promotion systems together know them. "
        "Fields backed by one vendor are null (with an error naming the vendor) when that "
        "vendor fails; the rest of the customer still arrives."
    )
)
class Customer(LoyaltyFields, SupportFields, PromotionFields, ActivityFields, relay.Node):
    #: the node id is the canonical customer id (exposed through ``id`` and ``customerId``)
    key: relay.NodeID[str]
    #: who vouched for the id (nobody in particular when it came from another record)
    identity_check: strawberry.Private[Identity] = Identity()

    @classmethod
    def from_id(cls, customer_id: str, identity: Identity | None = None) -> Customer:
        return cls(key=customer_id, identity_check=identity or Identity())

    @classmethod
    async def by_id(
        cls, info: Info, customer_id: str, started: Sequence[asyncio.Task[object]] = ()
    ) -> Customer | None:
        """``customer(id:)``: ``started`` are the fields' reads already under way. An
        unconfirmed customer carries an error at its own path saying so."""
        found = await customer_identity(info.context, customer_id, started=started)
        if found is None:
            return None
        error = found.identity.loyalty_error
        if error is not None:
            info.context.report_partial(UnconfirmedCustomerError(error), info.path.as_list())
        return cls.from_id(found.customer_id, found.identity)

    @strawberry.field(description="The canonical customer id (the loyalty system's customerId).")
    def customer_id(self) -> strawberry.ID:
        return strawberry.ID(self.key)

    @classmethod
    async def resolve_nodes(  # type: ignore[override]  # relay's signature, narrowed types
        cls,
        *,
        info: Info,
        node_ids: list[str],
        required: bool = False,
    ) -> list[Customer | None]:
        found = await customers_by_ids(info.context, node_ids)
        return [cls.from_id(c.customer_id, CONFIRMED) if c else None for c in found]

    @strawberry.field(
        description="How this answer knows the customer exists; `confirmed` is false when "
        "the loyalty system could not answer and other systems vouched for the id."
    )
    def identity(self) -> CustomerIdentity:
        return CustomerIdentity(identity=self.identity_check)

    async def _loyalty(self, info: Info) -> TallymarksCustomer | None:
        return await loyalty_customer(info.context, self.key)

    first_name: str | None = _summary_field(lambda s: s.first_name, "Given name (loyalty profile).")
    last_name: str | None = _summary_field(lambda s: s.last_name, "Family name (loyalty profile).")
    display_name: str | None = _summary_field(
        lambda s: s.display_name, "Name to show (loyalty profile)."
    )
    email: str | None = _summary_field(
        lambda s: s.email_address, "E-mail address (loyalty profile); unique per tenant."
    )
    created_at: datetime | None = _summary_field(
        lambda s: s.created_at, "When the customer joined: also their anniversary date."
    )

    @strawberry.field(description="The full loyalty profile (Tallymarks).")
    async def loyalty_profile(self, info: Info) -> LoyaltyProfile | None:
        found = await self._loyalty(info)
        return LoyaltyProfile.from_tallymarks(found) if found else None


#: the types below Customer (coupon holders, referred friends, support lookups) build it here
register_customer_factory(Customer.from_id)

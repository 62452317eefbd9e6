"""The root types. Each domain module contributes a ``<Domain>Query`` / ``<Domain>Mutation``
class; they are merged here into ``Query`` and ``Mutation``."""

from __future__ import annotations

from typing import Annotated

import strawberry
from strawberry import relay
from strawberry.tools import merge_types

from schema.cart import CartQuery
from schema.coupon import CouponQuery
from schema.customer import Customer
from schema.customer_prefetch import Selection, prefetch_customer
from schema.info import Info
from schema.mutations.audience_mutations import AudienceMutation
from schema.mutations.coupon_mutations import CouponMutation
from schema.mutations.customer_mutations import CustomerMutation
from schema.mutations.event_mutations import EventMutation
from schema.mutations.gdpr_mutations import GdprMutation
from schema.mutations.loyalty_mutations import LoyaltyMutation
from schema.mutations.referral_mutations import ReferralMutation
from schema.mutations.segment_mutations import SegmentMutation
from schema.mutations.session_mutations import SessionMutation
from schema.mutations.support_mutations import SupportMutation
from schema.node import resolve_node
from schema.permissions import CanReadCustomers
from schema.search import SearchQuery
from schema.support import SupportQuery


@strawberry.type
class CoreQuery:
    @strawberry.field(
        permission_classes=[CanReadCustomers],
        description="Any object by its global id (an object's `id`); null when it is gone.",
    )
    async def node(
        self,
        info: Info,
        id: Annotated[strawberry.ID, strawberry.argument(description="A global id.")],
    ) -> relay.Node | None:
        return await resolve_node(info, str(id))

    @strawberry.field(
        permission_classes=[CanReadCustomers],
        description=(
            "A customer by canonical id; null when no such customer. The loyalty system "
            'decides (its "no such customer" is final); while it cannot answer, a customer '
            "the support desk or the promotion engine knows by this id is still returned, "
            "with `identity { confirmed: false }`, an error at this path (`extensions."
            "identity: UNCONFIRMED`) and its loyalty fields null with errors."
        ),
    )
    async def customer(
        self,
        info: Info,
        id: Annotated[
            strawberry.ID,
            strawberry.argument(
                description="The canonical customer id (the loyalty system's customerId)."
            ),
        ],
    ) -> Customer | None:
        # the fields' reads start now, alongside the existence check (schema.customer_prefetch)
        raw = info._raw_info
        selection = Selection(raw.fragments, info.variable_values, raw.schema)
        started = prefetch_customer(info.context, str(id), raw.field_nodes, selection)
        info.context.prefetched.extend(started)
        return await Customer.by_id(info, str(id), started)


#: every domain's query fields (add a domain's ``<Domain>Query`` here)
QUERY_TYPES: tuple[type, ...] = (CoreQuery, SearchQuery, SupportQuery, CouponQuery, CartQuery)
#: every domain's mutation fields, in the order they appear in the schema (add a domain's
#: ``<Domain>Mutation`` from ``schema.mutations`` here)
MUTATION_TYPES: tuple[type, ...] = (
    CustomerMutation,
    GdprMutation,
    SegmentMutation,
    LoyaltyMutation,
    EventMutation,
    SessionMutation,
    CouponMutation,
    ReferralMutation,
    AudienceMutation,
    SupportMutation,
)

Query = merge_types("Query", QUERY_TYPES)
Query.__strawberry_definition__.description = "Read the unified customer graph."  # type: ignore[attr-defined]
Mutation = merge_types("Mutation", MUTATION_TYPES) if MUTATION_TYPES else None
if Mutation is not None:
    Mutation.__strawberry_definition__.description = (  # type: ignore[attr-defined]
        "Change the customer graph. Writes that span vendors report each vendor's outcome "
        "and are safe to retry with the same idempotency key."
    )

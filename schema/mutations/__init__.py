"""Mutations, one module per domain; each contributes a ``<Domain>Mutation`` class that
:mod:`schema.root` merges into ``Mutation``. Each mutation is declared with its permission and
answers with a ``<Verb><Thing>Payload`` type (:mod:`schema.mutations.declare`)."""

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

__all__ = [
    "MUTATIONS",
    "AudienceMutation",
    "CouponMutation",
    "CustomerMutation",
    "EventMutation",
    "GdprMutation",
    "LoyaltyMutation",
    "ReferralMutation",
    "SegmentMutation",
    "SessionMutation",
    "SupportMutation",
]

#: every domain's mutation class, in the order their fields appear in the schema
MUTATIONS: tuple[type, ...] = (
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

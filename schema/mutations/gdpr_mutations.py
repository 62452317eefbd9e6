"""Forget a customer everywhere (GDPR erasure)."""

from __future__ import annotations

import strawberry

from resolvers.writes.gdpr import forget_customer
from schema.info import Info
from schema.mutations.arguments import CustomerIdArg, IdempotencyKeyArg
from schema.mutations.declare import mutation, payload
from schema.mutations.outcomes import VendorOutcome, all_completed
from schema.permissions import CanEraseCustomers

__all__ = ["ForgetCustomerPayload", "GdprMutation"]


@payload
class ForgetCustomerPayload:
    customer_id: strawberry.ID = strawberry.field(description="The customer's canonical id.")
    outcomes: list[VendorOutcome] = strawberry.field(
        description="Each vendor's part: loyalty (anonymised), support (purged), promotions "
        "(data deleted). SKIPPED where the vendor held nothing."
    )
    complete: bool = strawberry.field(
        description="True when every vendor's part is done; otherwise retry with the same key."
    )


@strawberry.type
class GdprMutation:
    @mutation(
        CanEraseCustomers,
        description=(
            "Erase a customer's personal data at every vendor (GDPR): the promotion engine "
            "deletes it, the support desk purges the customer with channels and timeline, and "
            "the loyalty system — which cannot delete — blanks the profile and locks the "
            "account. Safe to retry with the same idempotency key."
        ),
    )
    async def forget_customer(
        self,
        info: Info,
        id: CustomerIdArg,
        idempotency_key: IdempotencyKeyArg,
    ) -> ForgetCustomerPayload:
        outcomes = await forget_customer(info.context, str(id), idempotency_key)
        return ForgetCustomerPayload(
            customer_id=id,
            outcomes=[VendorOutcome.from_write(o) for o in outcomes],
            complete=all_completed(outcomes),
        )

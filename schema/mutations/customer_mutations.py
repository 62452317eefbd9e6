"""Create and update a customer at all three vendors at once."""

from __future__ import annotations

from typing import Annotated, Self

import strawberry

from gateway.errors import BadUserInputError
from resolvers.writes.customers import CustomerWritten, create_customer, update_customer
from resolvers.writes.validation import check_guid
from schema.customer import Customer
from schema.info import Info
from schema.mutations.arguments import CustomerIdArg, IdempotencyKeyArg
from schema.mutations.declare import mutation, payload
from schema.mutations.outcomes import VendorOutcome, all_completed
from schema.mutations.person_input import PersonInput
from schema.permissions import CanWriteCustomers

__all__ = [
    "CreateCustomerInput",
    "CreateCustomerPayload",
    "CustomerMutation",
    "UpdateCustomerInput",
    "UpdateCustomerPayload",
]


@strawberry.input(description="A new customer.")
class CreateCustomerInput(PersonInput):
    customer_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="The canonical id to give the customer (a GUID). Leave it out to have one "
        "derived from the idempotency key (so retries write the same customer).",
    )


@strawberry.input(description="Changes to a customer; fields left out keep their values.")
class UpdateCustomerInput(PersonInput):
    pass


@strawberry.type
class _CustomerWrite:
    customer_id: strawberry.ID = strawberry.field(description="The customer's canonical id.")
    outcomes: list[VendorOutcome] = strawberry.field(
        description="Each vendor's part: loyalty, support, promotions."
    )
    complete: bool = strawberry.field(
        description="True when every vendor's part is done (none FAILED); otherwise retry "
        "with the same idempotency key."
    )
    loyalty_done: strawberry.Private[bool]

    @strawberry.field(
        description="The customer, read fresh; null when the loyalty system (which holds the "
        "canonical profile) has not been written yet."
    )
    def customer(self) -> Customer | None:
        return Customer.from_id(str(self.customer_id)) if self.loyalty_done else None

    @classmethod
    def of(cls, written: CustomerWritten) -> Self:
        return cls(
            customer_id=strawberry.ID(written.customer_id),
            outcomes=[VendorOutcome.from_write(o) for o in written.outcomes],
            complete=all_completed(written.outcomes),
            loyalty_done=written.loyalty_done,
        )


@payload
class CreateCustomerPayload(_CustomerWrite): ...


@payload
class UpdateCustomerPayload(_CustomerWrite): ...


@strawberry.type
class CustomerMutation:
    @mutation(
        CanWriteCustomers,
        description=(
            "Create a customer in the loyalty system, the support desk (in your brand, with "
            "the e-mail and mobile number as channels) and the promotion engine, concurrently. "
            "Each vendor's outcome is reported; retry with the same idempotency key to finish "
            "a partial write without writing anything twice. If the loyalty system refuses the "
            "customer for good (e.g. the e-mail is taken), fix the input and create again with "
            "a new key and the `customerId` from the payload: the support desk's and the "
            "promotion engine's records for it are updated, not duplicated."
        ),
    )
    async def create_customer(
        self,
        info: Info,
        input: Annotated[CreateCustomerInput, strawberry.argument(description="The customer.")],
        idempotency_key: IdempotencyKeyArg,
    ) -> CreateCustomerPayload:
        person = input.to_person("input")
        cid = check_guid(str(input.customer_id), "input.customerId") if input.customer_id else None
        written = await create_customer(info.context, cid, person, idempotency_key)
        return CreateCustomerPayload.of(written)

    @mutation(
        CanWriteCustomers,
        description=(
            "Change a customer at every vendor that keeps the fields given, concurrently "
            "(a vendor that keeps none of them is SKIPPED). Retry with the same idempotency "
            "key to finish a partial write."
        ),
    )
    async def update_customer(
        self,
        info: Info,
        id: CustomerIdArg,
        input: Annotated[UpdateCustomerInput, strawberry.argument(description="The changes.")],
        idempotency_key: IdempotencyKeyArg,
    ) -> UpdateCustomerPayload:
        person = input.to_person("input")
        if person.is_empty():
            raise BadUserInputError("Give at least one field to change.", argument="input")
        written = await update_customer(info.context, str(id), person, idempotency_key)
        return UpdateCustomerPayload.of(written)

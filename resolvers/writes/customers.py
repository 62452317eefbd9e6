"""Create and update a customer at all three vendors in one step, safe to retry.

Both run under an idempotency key (:mod:`resolvers.writes.cross_vendor`). The vendors' own
idempotency covers an earlier run whose answer was lost: on a retry, Tallymarks' "customer
already exists" and Omnidesk's "duplicate primary id" mean the earlier create landed, and a
Talon.One profile PUT is idempotent by nature.

Tallymarks holds the canonical record, so it alone may refuse an id as taken. When it
refuses a create for good (say, the e-mail is taken) after the others wrote, the client
fixes the input and creates again under a new key with the same ``customerId``: Omnidesk's
and Talon.One's records for that id are then brought up to date, not duplicated.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass

from cache import Tag
from gateway.context import GraphQLContext
from gateway.errors import NotFoundError
from resolvers import cache_tags as tags
from resolvers.customers import loyalty_customer
from resolvers.writes.cross_vendor import VendorWrite, keyed_attempt, run_vendor_writes
from resolvers.writes.outcomes import Done, OutcomeStatus, VendorOutcome
from resolvers.writes.person import PersonFields
from resolvers.writes.talon_calls import talon_write
from vendors.errors import (
    VendorConflictError,
    VendorInvalidInputError,
    VendorNotFoundError,
    VendorUnreachableError,
)
from vendors.omnidesk.customer_fields import customer_changes as omnidesk_changes
from vendors.omnidesk.customer_fields import new_customer as omnidesk_new_customer
from vendors.omnidesk.errors import DUPLICATE
from vendors.tallymarks.customer_fields import customer_create as tallymarks_create
from vendors.tallymarks.customer_fields import customer_update as tallymarks_update
from vendors.talon.models import CustomerProfileIntegrationRequestV2
from vendors.talon.profile_fields import profile_attributes as talon_attributes

__all__ = ["CustomerWritten", "create_customer", "customer_id_for_key", "update_customer"]

#: Tallymarks' code for "a customer with this customerId is already registered"
TALLYMARKS_EXISTS = "CustomerAlreadyExists"
_ID_NAMESPACE = uuid.UUID("6f1d0a52-5d1e-4b8e-9a57-2f0c7e3b9d41")

NOTHING_FOR_VENDOR = "Nothing in the input is kept by this vendor."
LANDED_EARLIER = "An earlier attempt with this idempotency key had already written it."


@dataclass(frozen=True)
class CustomerWritten:
    customer_id: str
    outcomes: list[VendorOutcome]

    @property
    def loyalty_done(self) -> bool:
        return any(o.vendor == "tallymarks" and o.completed for o in self.outcomes)


def customer_id_for_key(tenant: str, idempotency_key: str) -> str:
    """A new customer's id when the client gives none: derived from the key, so a retry
    writes the same customer."""
    return str(uuid.uuid5(_ID_NAMESPACE, f"{tenant}\x1f{idempotency_key}"))


async def _must_exist(ctx: GraphQLContext, customer_id: str) -> None:
    """Refuse an unknown id before writing anywhere (Talon.One would create a profile for
    it). When Tallymarks cannot be asked, the writes go ahead and report per vendor."""
    try:
        found = await loyalty_customer(ctx, customer_id)
    except VendorUnreachableError:
        return
    if found is None:
        raise NotFoundError("No customer with this id.", argument="id")


def _profile_tags(ctx: GraphQLContext, customer_id: str) -> dict[str, list[Tag]]:
    return {
        "tallymarks": [tags.loyalty_profile(ctx, customer_id), tags.loyalty_search(ctx)],
        "omnidesk": [tags.support_customer(ctx, customer_id), tags.support_search(ctx)],
        "talon": [tags.promotion_inventory(ctx, customer_id)],
    }


async def _write_profile(
    ctx: GraphQLContext,
    idempotency_key: str,
    operation: str,
    arguments: Mapping[str, object],
    customer_id: str,
    writes: Mapping[str, VendorWrite],
) -> CustomerWritten:
    """One keyed attempt (``arguments`` as the client sent them) writing the profile of
    ``customer_id`` at every vendor; each vendor's cached profile reads are dropped."""
    async with keyed_attempt(ctx, idempotency_key, operation, arguments) as attempt:
        outcomes = await run_vendor_writes(ctx, attempt, writes, _profile_tags(ctx, customer_id))
    return CustomerWritten(customer_id, outcomes)


async def create_customer(
    ctx: GraphQLContext, customer_id: str | None, person: PersonFields, idempotency_key: str
) -> CustomerWritten:
    cid = customer_id or customer_id_for_key(ctx.tenant_key, idempotency_key)
    vendors = ctx.vendors

    async def tallymarks(retrying: bool) -> Done:
        try:
            await vendors.tallymarks.create_customer(tallymarks_create(cid, person))
        except VendorInvalidInputError as exc:
            if retrying and exc.code == TALLYMARKS_EXISTS:
                return Done(OutcomeStatus.ALREADY_DONE, LANDED_EARLIER)
            raise
        return Done()

    async def omnidesk(retrying: bool) -> Done:
        try:
            await vendors.omnidesk.create_customer(omnidesk_new_customer(cid, person))
        except VendorConflictError as exc:
            if exc.code != DUPLICATE:
                raise
            if retrying:
                return Done(OutcomeStatus.ALREADY_DONE, LANDED_EARLIER)
            # left by an earlier create that the loyalty system refused: bring it up to date
            changes = omnidesk_changes(person)
            if changes is not None:
                await vendors.omnidesk.update_customer_by_external_id(cid, changes)
            return Done(message="The support desk already knew this id; updated it.")
        return Done()

    async def talon(retrying: bool) -> Done:
        body = CustomerProfileIntegrationRequestV2(attributes=talon_attributes(person))
        await talon_write(vendors.talon.update_customer_profile_v2(cid, body))
        return Done()

    arguments = {"id": customer_id, "input": person}
    writes = {"tallymarks": tallymarks, "omnidesk": omnidesk, "talon": talon}
    return await _write_profile(ctx, idempotency_key, "createCustomer", arguments, cid, writes)


async def update_customer(
    ctx: GraphQLContext, customer_id: str, person: PersonFields, idempotency_key: str
) -> CustomerWritten:
    """Only the fields given change. A vendor that keeps none of them is ``SKIPPED``; a
    customer the support desk does not know yet is created there."""
    await _must_exist(ctx, customer_id)
    vendors = ctx.vendors

    async def tallymarks(retrying: bool) -> Done:
        update = tallymarks_update(person)
        if update is None:
            return Done(OutcomeStatus.SKIPPED, NOTHING_FOR_VENDOR)
        await vendors.tallymarks.update_customer(customer_id, update)
        return Done()

    async def omnidesk(retrying: bool) -> Done:
        changes = omnidesk_changes(person)
        if changes is None:
            return Done(OutcomeStatus.SKIPPED, NOTHING_FOR_VENDOR)
        try:
            await vendors.omnidesk.update_customer_by_external_id(customer_id, changes)
        except VendorNotFoundError:
            await vendors.omnidesk.create_customer(omnidesk_new_customer(customer_id, person))
            return Done(message="The support desk did not know the customer; created there.")
        return Done()

    async def talon(retrying: bool) -> Done:
        attributes = talon_attributes(person)
        if not attributes:
            return Done(OutcomeStatus.SKIPPED, NOTHING_FOR_VENDOR)
        body = CustomerProfileIntegrationRequestV2(attributes=attributes)
        await talon_write(vendors.talon.update_customer_profile_v2(customer_id, body))
        return Done()

    arguments = {"id": customer_id, "input": person}
    writes = {"tallymarks": tallymarks, "omnidesk": omnidesk, "talon": talon}
    return await _write_profile(
        ctx, idempotency_key, "updateCustomer", arguments, customer_id, writes
    )

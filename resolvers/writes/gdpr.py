"""Forget a customer (GDPR erasure) at all three vendors, safe to retry.

- Talon.One: ``DELETE /v1/customer_data/{id}`` clears the profile's personal data.
- Omnidesk: ``DELETE purgeData`` removes the customer, channels, custom fields and timeline.
- Tallymarks has **no delete endpoint**: the profile is anonymised with a PATCH instead —
  names, phones and references blanked, attributes cleared, opt-ins off, the account
  locked. Two fields cannot be emptied through the API (its .NET models cannot tell null
  from absent, and an email must be valid), so the email becomes a placeholder derived from
  the pseudonymous id (``erased-<id>@erased.invalid``) and the birth date a fixed
  ``1900-01-01``. The customer id, points history and balance remain (they identify no one
  without the erased profile).

A vendor that holds nothing for the id reports ``SKIPPED``. Afterwards every cached read
about the customer is forgotten.
"""

from __future__ import annotations

from datetime import UTC, datetime

from gateway.context import GraphQLContext
from resolvers import cache_tags as tags
from resolvers.writes.cross_vendor import keyed_attempt, run_vendor_writes
from resolvers.writes.outcomes import Done, OutcomeStatus, VendorOutcome
from resolvers.writes.talon_calls import talon_write
from vendors.errors import VendorNotFoundError
from vendors.tallymarks.models import CustomerUpdate

__all__ = ["anonymised_loyalty_profile", "forget_customer"]

ERASED_BIRTH_DATE = datetime(1900, 1, 1, tzinfo=UTC)
ERASED_STATUS = "forgotten"
NOTHING_HELD = "This vendor held no data for the customer."


def anonymised_loyalty_profile(customer_id: str) -> CustomerUpdate:
    """The PATCH that leaves nothing personal on a Tallymarks profile."""
    return CustomerUpdate(
        first_name="",
        last_name="",
        display_name="",
        email_address=f"erased-{customer_id}@erased.invalid",
        mobile_number="",
        contact_phone="",
        external_reference="",
        external_status=ERASED_STATUS,
        attributes=[],
        date_of_birth=ERASED_BIRTH_DATE,
        optin_sms=False,
        optin_email=False,
        accept_terms=False,
        is_account_locked=True,
    )


async def forget_customer(
    ctx: GraphQLContext, customer_id: str, idempotency_key: str
) -> list[VendorOutcome]:
    vendors = ctx.vendors

    async def tallymarks(retrying: bool) -> Done:
        try:
            await vendors.tallymarks.update_customer(
                customer_id, anonymised_loyalty_profile(customer_id)
            )
        except VendorNotFoundError:
            return Done(OutcomeStatus.SKIPPED, NOTHING_HELD)
        return Done(message="Anonymised and locked (the loyalty system cannot delete).")

    async def omnidesk(retrying: bool) -> Done:
        try:
            await vendors.omnidesk.purge_customer_data(primary_id=customer_id)
        except VendorNotFoundError:
            return Done(OutcomeStatus.SKIPPED, NOTHING_HELD)
        return Done()

    async def talon(retrying: bool) -> Done:
        try:
            await talon_write(vendors.talon.delete_customer_data(customer_id))
        except VendorNotFoundError:
            return Done(OutcomeStatus.SKIPPED, NOTHING_HELD)
        return Done()

    async with keyed_attempt(
        ctx, idempotency_key, "forgetCustomer", {"id": customer_id}
    ) as attempt:
        outcomes = await run_vendor_writes(
            ctx, attempt, {"tallymarks": tallymarks, "omnidesk": omnidesk, "talon": talon}, {}
        )
    ctx.invalidate(*tags.everything_about(ctx, customer_id))
    return outcomes

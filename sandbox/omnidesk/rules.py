"""The domain rules of one Omnidesk account, independent of HTTP.

See docs/vendors/omnidesk.md §6, §7.

Routes parse and validate the request's fields, then call these rules; the rules raise
:class:`OmnideskError` for unknown brands, customers, channels and tickets and for duplicate
primary ids. Everything here runs under the store lock, called from a route.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from sandbox.omnidesk.errors import OmnideskError, field_error
from sandbox.omnidesk.options import OmnideskSandboxOptions
from sandbox.omnidesk.store import (
    Account,
    Brand,
    Channel,
    Customer,
    OmnideskStore,
    TimelineEntry,
)
from sandbox.omnidesk.validation import (
    CHANNEL_TYPE_PATTERN,
    EMAIL_PATTERN,
    SOCIAL_PATTERN,
    TELEPHONE_PATTERN,
    matches,
)

CUSTOMER_NOT_FOUND = "Customer not found."
BRAND_NOT_FOUND = "Brand not found."
CHANNEL_NOT_FOUND = "Channel not found."
TICKET_NOT_FOUND = "Ticket not found."
DUPLICATE_PRIMARY_ID = "A customer with this primary ID already exists in this brand."
ADDRESS_TAKEN = "This channel address is already linked to another customer of this brand."

_ADDRESS_PATTERNS = {
    "email": (EMAIL_PATTERN, "must be a valid email address."),
    "telephone": (TELEPHONE_PATTERN, f"does not match the pattern {TELEPHONE_PATTERN}."),
    "facebook": (SOCIAL_PATTERN, f"does not match the pattern {SOCIAL_PATTERN}."),
    "twitter": (SOCIAL_PATTERN, f"does not match the pattern {SOCIAL_PATTERN}."),
}


def utc_now() -> datetime:
    return datetime.now(UTC)


class AccountRules:
    """What a request may do inside its own account."""

    def __init__(
        self,
        store: OmnideskStore,
        account: Account,
        options: OmnideskSandboxOptions,
        now: Callable[[], datetime] = utc_now,
    ) -> None:
        self.store = store
        self.account = account
        self.options = options
        self.now = now

    # --- lookups -------------------------------------------------------------------------

    def not_found(self, message: str) -> OmnideskError:
        return OmnideskError(message, self.options.not_found_status)

    def brand(self, brand_id: int) -> Brand:
        brand = self.account.brands.get(brand_id)
        if brand is None:
            raise self.not_found(BRAND_NOT_FOUND)
        return brand

    def customer(self, customer_id: int, *, brand_id: int | None = None) -> Customer:
        customer = self.account.customers.get(customer_id)
        if customer is None or (brand_id is not None and customer.brand_id != brand_id):
            raise self.not_found(CUSTOMER_NOT_FOUND)
        return customer

    def customer_by_primary(self, brand_id: int, primary_id: str) -> Customer:
        self.brand(brand_id)
        customer = self.account.customer_by_primary(brand_id, primary_id)
        if customer is None:
            raise self.not_found(CUSTOMER_NOT_FOUND)
        return customer

    def locate(
        self,
        customer_id: int | None,
        primary_id: str | None,
        brand_id: int | None,
        *,
        fields: tuple[str, str, str],
    ) -> Customer:
        """A customer by internal id, or by primary id + brand (``fields`` names the three)."""
        id_field, primary_field, brand_field = fields
        if customer_id is not None:
            return self.customer(customer_id, brand_id=brand_id)
        if primary_id is None:
            raise field_error(id_field, f"or '{primary_field}' is required.")
        if brand_id is None:
            raise field_error(brand_field, "is required.")
        return self.customer_by_primary(brand_id, primary_id)

    def by_channel_value(self, brand: Brand, value: str) -> list[Customer]:
        needle = value.strip().lower()
        return [
            c
            for c in self.account.customers_in(brand.id)
            if any(ch.address.lower() == needle for ch in c.channels)
        ]

    def search(self, query: str) -> list[Customer]:
        """Index search: every word must be in the first name, last name or primary id."""
        words = query.lower().split()
        found = []
        for customer in self.account.customers.values():
            haystack = " ".join(
                (customer.firstname, customer.lastname, customer.external_primary_id or "")
            ).lower()
            if all(word in haystack for word in words):
                found.append(customer)
        return found

    # --- channels ------------------------------------------------------------------------

    def channel_type(self, field: str, raw: str) -> int:
        """A channel type given by name or id (``^([0-9]+|email|telephone|facebook|twitter)$``)."""
        if not matches(CHANNEL_TYPE_PATTERN, raw):
            raise field_error(field, f"does not match the pattern {CHANNEL_TYPE_PATTERN}.")
        type_id = int(raw) if raw.isdigit() else self.options.channel_type_id(raw)
        if type_id is None or type_id not in self.options.channel_types:
            raise field_error(field, "is not a known channel type.")
        return type_id

    def check_address(self, field: str, type_id: int, address: str) -> str:
        rule = _ADDRESS_PATTERNS.get(self.options.channel_types[type_id])
        if rule is not None and not matches(rule[0], address):
            raise field_error(field, rule[1])
        return address

    def infer_type(self, field: str, address: str) -> int:
        """[G] ``customer_link_channel`` without ``channel_id``: email or telephone by shape."""
        name = "email" if "@" in address else "telephone" if address.startswith("+") else None
        type_id = self.options.channel_type_id(name) if name else None
        if type_id is None:
            raise field_error(field, "is required with customer_link_channel.")
        return type_id

    def link_channel(
        self, customer: Customer, type_id: int, address: str, *, sync: bool, replace: bool = False
    ) -> Channel:
        """Add (or, with ``replace``, swap in) a channel; an identical one is left alone."""
        for channel in customer.channels:
            if channel.type_id == type_id and channel.address.lower() == address.lower():
                return channel
        self.ensure_addresses_free(customer.brand_id, [address], customer)
        if replace:
            customer.channels = [c for c in customer.channels if c.type_id != type_id]
        channel = Channel(self.store.next_channel_id(), type_id, address)
        customer.channels.append(channel)
        if sync:
            self._link_tickets_by_address(customer, address)
        return channel

    def ensure_addresses_free(
        self, brand_id: int, addresses: Iterable[str], owner: Customer | None
    ) -> None:
        """With ``unique_channel_address_per_brand``: no other customer of the brand may hold
        one of these addresses. Routes call it before changing anything, so a refusal leaves
        the customer as it was."""
        if not self.options.unique_channel_address_per_brand:
            return
        brand = self.account.brands[brand_id]
        owner_id = owner.id if owner is not None else None
        for address in addresses:
            if any(other.id != owner_id for other in self.by_channel_value(brand, address)):
                raise OmnideskError(ADDRESS_TAKEN)

    def _link_tickets_by_address(self, customer: Customer, address: str) -> None:
        """Unlinked tickets of the brand from this address join the customer (unless noSync)."""
        for ticket in self.account.tickets.values():
            if (
                ticket.customer_id is None
                and ticket.brand_id == customer.brand_id
                and ticket.contact_address.lower() == address.lower()
            ):
                ticket.customer_id = customer.id

    def remove_channel(self, customer: Customer, channel_id: int) -> None:
        kept = [c for c in customer.channels if c.id != channel_id]
        if len(kept) == len(customer.channels):
            raise self.not_found(CHANNEL_NOT_FOUND)
        customer.channels = kept

    # --- customers -----------------------------------------------------------------------

    def create(
        self,
        brand: Brand,
        primary_id: str | None,
        existing: Customer | None = None,
        addresses: Iterable[str] = (),
    ) -> tuple[Customer, bool]:
        """A new customer, or (``upsert_on_create``) the existing one. True when created.

        ``addresses`` are the channels about to be linked: checked before anything changes.
        """
        if existing is None and primary_id is not None:
            existing = self.account.customer_by_primary(brand.id, primary_id)
        if existing is not None and not self.options.upsert_on_create:
            raise OmnideskError(DUPLICATE_PRIMARY_ID)
        self.ensure_addresses_free(brand.id, addresses, existing)
        if existing is not None:
            return existing, False
        customer = Customer(self.store.next_customer_id(), brand.id, primary_id)
        self.account.add_customer(customer)
        return customer, True

    def update(
        self,
        customer: Customer,
        *,
        firstname: str | None = None,
        lastname: str | None = None,
        custom: dict[str, str] | None = None,
    ) -> None:
        """Change only what was sent (``None`` = not sent)."""
        if firstname is not None:
            customer.firstname = firstname
        if lastname is not None:
            customer.lastname = lastname
        customer.custom_fields.update(custom or {})

    def set_primary_id(self, customer: Customer, primary_id: str) -> None:
        if customer.external_primary_id == primary_id:
            return
        if self.account.customer_by_primary(customer.brand_id, primary_id) is not None:
            raise OmnideskError(DUPLICATE_PRIMARY_ID)
        customer.external_primary_id = primary_id
        self.account.index_primary(customer)

    def link_ticket(self, customer: Customer, ticket_id: int) -> None:
        ticket = self.account.tickets.get(ticket_id)
        if ticket is None or ticket.brand_id != customer.brand_id:
            raise self.not_found(TICKET_NOT_FOUND)
        ticket.customer_id = customer.id

    def check_ticket(self, brand: Brand, ticket_id: int) -> None:
        ticket = self.account.tickets.get(ticket_id)
        if ticket is None or ticket.brand_id != brand.id:
            raise self.not_found(TICKET_NOT_FOUND)

    def delete(self, customer: Customer) -> None:
        """Delete the customer and its timeline; its tickets stay, unlinked."""
        self.account.remove_customer(customer)
        for ticket in self.account.tickets.values():
            if ticket.customer_id == customer.id:
                ticket.customer_id = None

    def purge(self, customer: Customer) -> None:
        """Purge all data linked to the customer: channels, custom fields, timeline, tickets."""
        customer.channels.clear()
        customer.custom_fields.clear()
        if self.options.purge_removes_tickets:
            tickets = self.account.tickets
            self.account.tickets = {
                k: t for k, t in tickets.items() if t.customer_id != customer.id
            }
        self.delete(customer)

    # --- timeline ------------------------------------------------------------------------

    def add_event(
        self, customer: Customer, message: str, initiated_by: str, source_url: str | None
    ) -> TimelineEntry:
        entry = TimelineEntry(
            id=self.store.next_event_id(),
            customer_id=customer.id,
            message=message,
            initiated_by=initiated_by,
            source_url=source_url,
            created=self.now(),
        )
        self.account.timeline.setdefault(customer.id, []).append(entry)
        return entry

"""Customer API: profiles, search and balance (docs/vendors/tallymarks.md §7.1 to §7.5)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from sandbox.tallymarks.deps import JsonBody, Options, Store, Tenant, path_guid
from sandbox.tallymarks.errors import (
    CUSTOMER_ALREADY_EXISTS,
    EMAIL_ALREADY_EXISTS,
    EMAIL_ALREADY_REGISTERED,
    TallymarksError,
    customer_not_found,
    field_error,
    invalid,
)
from sandbox.tallymarks.options import TallymarksSandboxOptions
from sandbox.tallymarks.paging import effective_limit, page
from sandbox.tallymarks.records import Attributes, Customer
from sandbox.tallymarks.schemas_in import CustomerCreateIn, CustomerFields, CustomerPatchIn
from sandbox.tallymarks.schemas_out import (
    BalanceOut,
    CustomerOut,
    CustomerPageOut,
    CustomerSummaryOut,
)
from sandbox.tallymarks.store import TenantData

router = APIRouter(prefix="/api/v1/customers", tags=["Customer API"])

#: record attribute ← request field, for the plain profile fields
_FIELDS = {
    "first_name": "firstName",
    "last_name": "lastName",
    "display_name": "displayName",
    "mobile_number": "mobileNumber",
    "date_of_birth": "dateOfBirth",
    "contact_phone": "contactPhone",
    "external_reference": "externalReference",
    "external_status": "externalStatus",
}
_FLAGS = {
    "optin_sms": "optinSms",
    "optin_email": "optinEmail",
    "accept_terms": "acceptTerms",
    "is_account_locked": "isAccountLocked",
}


def _email_taken(code: str, message: str, email: str) -> TallymarksError:
    detail = "The email address belongs to another customer of this tenant."
    return TallymarksError(
        400, code, message, detail, [field_error(message, "emailAddress", email)]
    )


def _keyword_match(customer: Customer, keyword: str) -> bool:
    """[G]: case-insensitive substring over the name, email, phone and reference fields."""
    needle = keyword.strip().lower()
    haystack = (
        customer.first_name,
        customer.last_name,
        customer.display_name,
        customer.email_address,
        customer.contact_phone,
        customer.external_reference,
    )
    return any(needle in value.lower() for value in haystack if value)


def _merge_attributes(old: Attributes, new: Attributes) -> Attributes:
    merged = dict(old)
    merged.update(new)
    return list(merged.items())


def _apply(
    customer: Customer,
    body: CustomerFields,
    tenant: TenantData,
    options: TallymarksSandboxOptions,
) -> None:
    """Copy the fields the caller sent onto ``customer`` (a partial update).

    See docs/vendors/tallymarks.md §7.2.
    """
    sent = body.model_fields_set
    values: dict[str, Any] = {name: getattr(body, name, None) for name in sent}
    clears = options.patch_null_clears
    for attribute, name in _FIELDS.items():
        if name in sent and (values[name] is not None or clears):
            setattr(customer, attribute, values[name])
    for attribute, name in _FLAGS.items():
        if name in sent and (values[name] is not None or clears):
            setattr(customer, attribute, bool(values[name]))
    if "emailAddress" in sent and (values["emailAddress"] is not None or clears):
        tenant.change_email(customer, values["emailAddress"])
    if "attributes" in sent and (body.attributes is not None or clears):
        new = [(a.name, a.value) for a in body.attributes or []]
        keep = options.patch_attributes == "merge"
        customer.attributes = _merge_attributes(customer.attributes, new) if keep else new


@router.get("", summary="Search for Customers")
async def search_customers(
    tenant: Tenant,
    options: Options,
    store: Store,
    keyword: str | None = None,
    limit: int | None = None,
    offsetKey: str | None = None,
) -> CustomerPageOut:
    size = effective_limit(limit, options)
    with store.lock:
        customers = list(tenant.customers.values())
    if keyword:
        customers = [c for c in customers if _keyword_match(c, keyword)]
    items, next_key = page(customers, lambda c: (c.created_at, c.customer_id), size, offsetKey)
    return CustomerPageOut(customers=[CustomerSummaryOut.of(c) for c in items], offsetKey=next_key)


@router.post("", summary="Create Customer", dependencies=[JsonBody])
async def create_customer(
    body: CustomerCreateIn, tenant: Tenant, options: Options, store: Store
) -> CustomerOut:
    """Customer Registered. The vendor's documentation prints this under
    POST /api/v1/events/redemptions, a copy-paste error (docs/vendors/tallymarks.md §7.4); an
    existing customerId is refused unless the upsert option is on.
    """
    with store.lock:
        existing = tenant.customers.get(body.customerId)
        if existing is not None and options.existing_customer_on_create == "reject":
            raise TallymarksError(
                400,
                CUSTOMER_ALREADY_EXISTS,
                "Customer Already Exists",
                "A customer with this customerId is already registered.",
                [field_error("Customer Already Exists", "customerId", body.customerId)],
            )
        owner = tenant.email_owner(body.emailAddress)
        if owner is not None and owner != body.customerId:
            raise _email_taken(
                EMAIL_ALREADY_REGISTERED, "Email Already Registered", body.emailAddress or ""
            )
        now = store.now()
        customer = existing
        if customer is None:
            customer = Customer(body.customerId, tenant.tenant_id, created_at=now, changed_at=now)
            tenant.add_customer(customer)
        _apply(customer, body, tenant, options)
        customer.changed_at = now
        return CustomerOut.of(customer)


@router.get("/{customerId}", summary="Get a Customer")
async def get_customer(
    customerId: str, request: Request, tenant: Tenant, options: Options, store: Store
) -> CustomerOut:
    customer_id = path_guid(customerId, "customerId", options, request.url.path)
    with store.lock:
        customer = tenant.customers.get(customer_id)
        if customer is None:
            raise customer_not_found(customer_id)
        return CustomerOut.of(customer)


@router.patch("/{customerId}", summary="Update a Customer", dependencies=[JsonBody])
async def update_customer(
    customerId: str,
    body: CustomerPatchIn,
    request: Request,
    tenant: Tenant,
    options: Options,
    store: Store,
) -> CustomerOut:
    """Customer Updated; 400 Customer Not Found and 400 Email Already Exists.

    See docs/vendors/tallymarks.md §7.2.
    """
    customer_id = path_guid(customerId, "customerId", options, request.url.path)
    with store.lock:
        customer = tenant.customers.get(customer_id)
        if customer is None:
            raise customer_not_found(customer_id, status=400)
        if body.customerId is not None and body.customerId != customer_id:
            raise invalid("customerId", "The customerId does not match the route.", body.customerId)
        owner = tenant.email_owner(body.emailAddress)
        if owner is not None and owner != customer_id:
            raise _email_taken(
                EMAIL_ALREADY_EXISTS, "Email Already Exists", body.emailAddress or ""
            )
        _apply(customer, body, tenant, options)
        customer.changed_at = store.now()
        return CustomerOut.of(customer)


@router.get("/{customerId}/balance", summary="Get a Customer's Points Balance")
async def get_balance(
    customerId: str, request: Request, tenant: Tenant, options: Options, store: Store
) -> BalanceOut:
    customer_id = path_guid(customerId, "customerId", options, request.url.path)
    with store.lock:
        if customer_id not in tenant.customers:
            raise customer_not_found(customer_id)
        amount, changed_at = tenant.balance(customer_id)
    return BalanceOut(
        tenantId=tenant.tenant_id,
        customerId=customer_id,
        pointsSegment="base",
        amount=amount,
        changedAt=changed_at,
    )

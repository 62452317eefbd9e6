"""How an answer knows a customer exists (``Customer.identity``), and the error that marks a
customer answered without the loyalty system, the system of record for identity (see
:mod:`resolvers.customer_identity`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any

import strawberry

from gateway.errors import GatewayError, vendor_error_extensions
from resolvers.customer_identity import Identity
from vendors.errors import VendorError

if TYPE_CHECKING:
    from schema.mutations.outcomes import Vendor

__all__ = ["CustomerIdentity", "UnconfirmedCustomerError"]

# the mutations package imports the Customer type: the enum is resolved when the schema is built
VendorList = list[Annotated["Vendor", strawberry.lazy("schema.mutations.outcomes")]]


def _vendors_field(names: Callable[[Identity], tuple[str, ...]], description: str) -> Any:
    """A list of the vendors the identity names (as the ``Vendor`` enum)."""

    def resolve(root: CustomerIdentity) -> list[Vendor]:
        return _vendors(names(root.identity))

    return strawberry.field(resolver=resolve, description=description, graphql_type=VendorList)


@strawberry.type(
    description=(
        "How this answer knows the customer exists. The loyalty system (Tallymarks) is the "
        "system of record for identity; when it cannot answer, `customer(id:)` still returns "
        "a customer the support desk or the promotion engine knows by that id, with "
        "`confirmed: false`: show it as unconfirmed (the loyalty fields are null with "
        "errors, and the loyalty system may no longer hold the customer)."
    )
)
class CustomerIdentity:
    identity: strawberry.Private[Identity]

    @strawberry.field(
        description=(
            "False when the loyalty system could not answer (it is down, slow or refusing "
            "calls) and the customer rests on the records of `confirmedBy` only."
        )
    )
    def confirmed(self) -> bool:
        return self.identity.confirmed

    confirmed_by = _vendors_field(
        lambda identity: identity.confirmed_by,
        "The systems that found this customer id in this request: the loyalty system "
        "when the customer was looked up by id (`customer(id:)`, `node`); in an "
        "unconfirmed answer, whichever of the support desk and the promotion engine "
        "know it. Empty for a customer reached through another record (a search "
        "result, a cart, a coupon's holders).",
    )
    unconfirmed = _vendors_field(
        lambda identity: identity.unconfirmed,
        "The systems that could not be asked about this customer (their errors are in "
        "the response): the loyalty system in an unconfirmed answer, and any other "
        "system that failed too. Empty when the answer is confirmed.",
    )


def _vendors(names: tuple[str, ...]) -> list[Vendor]:
    from schema.mutations.outcomes import Vendor

    return [Vendor(name) for name in names]


class UnconfirmedCustomerError(GatewayError):
    """Reported at a customer answered without the loyalty system: the vendor's code and
    ``retryable``, plus ``identity: UNCONFIRMED`` for clients to key on."""

    def __init__(self, error: VendorError) -> None:
        message, extensions = vendor_error_extensions(error)
        code = extensions.pop("code")
        super().__init__(
            f"{message} The customer could not be confirmed by the loyalty system; it is "
            "answered from the other systems' records.",
            **extensions,
            identity="UNCONFIRMED",
        )
        self.code = code

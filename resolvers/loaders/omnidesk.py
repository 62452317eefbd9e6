"""Omnidesk loaders that do more than their declared read: a support customer found another
way (by support id, by channel) is the answer to "by canonical id" too, so they prime it."""

from __future__ import annotations

from resolvers.loaders.base import RequestLoaders
from resolvers.loaders.read_loader import ReadLoader
from vendors.omnidesk import reads
from vendors.omnidesk.models import Customer

__all__ = ["SupportCustomerBySupportIdLoader", "SupportCustomersByChannelValueLoader"]


class SupportCustomerBySupportIdLoader(ReadLoader[int, Customer | None]):
    """An Omnidesk customer by its numeric id, only when it is in the tenant's brand."""

    def __init__(self, loaders: RequestLoaders) -> None:
        super().__init__(loaders, reads.SUPPORT_CUSTOMER_BY_ID)

    def loaded(self, key: int, value: Customer | None) -> None:
        _prime(self.loaders, value)


class SupportCustomersByChannelValueLoader(ReadLoader[str, list[Customer]]):
    """The tenant brand's customers with a channel at this address (e-mail, phone, handle)."""

    def __init__(self, loaders: RequestLoaders) -> None:
        super().__init__(loaders, reads.CHANNEL_SEARCH)

    def missing(self, key: str) -> list[Customer]:
        return []

    def loaded(self, key: str, value: list[Customer]) -> None:
        for customer in value:
            _prime(self.loaders, customer)


def _prime(loaders: RequestLoaders, customer: Customer | None) -> None:
    if customer is not None and customer.external_primary_id:
        loaders.read(reads.SUPPORT_CUSTOMER).prime(customer.external_primary_id, customer)

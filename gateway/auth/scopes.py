"""What a caller may do. A principal holds a set of scopes; each root field of the schema
names the scopes that grant it (``schema.permissions``)."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

__all__ = ["ALL_SCOPES", "Scope", "parse_scopes"]


class Scope(StrEnum):
    """The scopes, as spelled in API-key settings and in tokens' ``scope``/``scp`` claims."""

    #: every query, and reading customers anywhere
    CUSTOMERS_READ = "customers:read"
    #: create and change customers, loyalty segments, points and loyalty events
    CUSTOMERS_WRITE = "customers:write"
    #: cart sessions, coupons, referrals, audiences, promotion events (read and write)
    PROMOTIONS = "promotions"
    #: support channels, timeline entries, CRM sync
    SUPPORT = "support"
    #: erase a customer everywhere (GDPR)
    GDPR_ERASE = "gdpr:erase"


ALL_SCOPES: frozenset[Scope] = frozenset(Scope)


def parse_scopes(values: Iterable[str]) -> frozenset[Scope]:
    """The known scopes among ``values``; unknown names (another API's scopes in a shared
    token) are ignored, never an error."""
    known = {s.value: s for s in Scope}
    return frozenset(known[v] for v in values if v in known)

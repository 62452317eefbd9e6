"""Every limit's threshold in one place; :class:`~gateway.settings.GatewaySettings` takes
its defaults from here and :meth:`QueryLimits.from_settings` brings them back."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gateway.settings import GatewaySettings

__all__ = ["QueryLimits"]


@dataclass(frozen=True)
class QueryLimits:
    """Thresholds of the limits; the defaults suit a mobile app and a web front end."""

    #: levels fields may nest below a root field (introspection fields not counted)
    max_depth: int = 12
    #: aliased fields in one document
    max_aliases: int = 30
    #: lexical tokens in one document
    max_tokens: int = 5000
    #: characters in one document (large values belong in variables)
    max_query_length: int = 65_536
    #: fragment spreads written in one document
    max_fragment_spreads: int = 100
    #: directives written in one document
    max_directives: int = 50
    #: field selections of a document's operations once fragments are expanded
    max_selections: int = 500
    #: estimated upstream calls of one operation (see :mod:`gateway.limits.cost_table`)
    max_cost: int = 5000
    #: items assumed in a list without ``first`` (a customer's coupons), for the cost
    default_list_size: int = 20
    #: bytes in one request body
    max_body_bytes: int = 1024 * 1024
    #: seconds one request may run before it is cancelled
    execution_timeout: float = 20.0
    #: seconds before that deadline every vendor call must have ended
    vendor_deadline_margin: float = 1.0
    #: answer ``__schema`` / ``__type``
    introspection: bool = True
    #: "Did you mean …?" in validation errors
    field_suggestions: bool = True

    @classmethod
    def from_settings(cls, settings: GatewaySettings) -> QueryLimits:
        return cls(
            max_depth=settings.max_query_depth,
            max_aliases=settings.max_aliases,
            max_tokens=settings.max_tokens,
            max_query_length=settings.max_query_length,
            max_fragment_spreads=settings.max_fragment_spreads,
            max_directives=settings.max_directives,
            max_selections=settings.max_selections,
            max_cost=settings.max_query_cost,
            default_list_size=settings.cost_default_list_size,
            max_body_bytes=settings.max_body_bytes,
            execution_timeout=settings.execution_timeout,
            vendor_deadline_margin=settings.vendor_deadline_margin,
            introspection=settings.introspection,
            field_suggestions=settings.field_suggestions,
        )

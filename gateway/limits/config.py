"""Every limit's threshold, bounds and meaning, defined once.

:class:`~gateway.settings.GatewaySettings` inherits these fields, so each is also a setting
under its own name (``max_query_depth`` is ``CG_MAX_QUERY_DEPTH``);
:meth:`QueryLimits.from_settings` hands the limits alone to the layers that enforce them.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = ["QueryLimits"]


class QueryLimits(BaseModel):
    """Thresholds of the limits, each refused with its own ``extensions.code``; the defaults
    suit a mobile app and a web front end."""

    model_config = ConfigDict(frozen=True)

    #: levels fields may nest below a root field, introspection not counted (QUERY_TOO_DEEP)
    max_query_depth: int = Field(default=12, ge=1)
    #: aliased fields in one document (TOO_MANY_ALIASES)
    max_aliases: int = Field(default=30, ge=0)
    #: lexical tokens in one document, counted before parsing (TOO_MANY_TOKENS)
    max_tokens: int = Field(default=5000, ge=1)
    #: characters in one document, checked before lexing (QUERY_TOO_LONG); large values
    #: belong in variables
    max_query_length: int = Field(default=65_536, ge=1)
    #: fragment spreads written in one document (TOO_MANY_FRAGMENT_SPREADS)
    max_fragment_spreads: int = Field(default=100, ge=0)
    #: directives written in one document (TOO_MANY_DIRECTIVES)
    max_directives: int = Field(default=50, ge=0)
    #: field selections once fragments are expanded, all operations (TOO_MANY_SELECTIONS)
    max_selections: int = Field(default=500, ge=1)
    #: estimated upstream calls of one operation (QUERY_TOO_COSTLY; gateway.limits.cost_table)
    max_query_cost: int = Field(default=5000, ge=1)
    #: items the cost assumes for a list without ``first`` (a customer's coupons)
    cost_default_list_size: int = Field(default=20, ge=1)
    #: bytes in one request body, checked before parsing (REQUEST_TOO_LARGE, HTTP 413)
    max_body_bytes: int = Field(default=1024 * 1024, ge=1)
    #: seconds before a request is cancelled (EXECUTION_TIMEOUT)
    execution_timeout: float = Field(default=20.0, gt=0)
    #: seconds of the operation's deadline kept back from vendor calls: every vendor call
    #: ends that long before ``execution_timeout``, so a slow vendor nulls only its fields
    vendor_deadline_margin: float = Field(default=1.0, ge=0)
    #: answer introspection (``__schema``/``__type``); ``CG_INTROSPECTION=false`` in production
    introspection: bool = True
    #: "Did you mean …?" in validation errors; ``CG_FIELD_SUGGESTIONS=false`` in production
    field_suggestions: bool = True
    #: levels ``variables``/``extensions`` may nest, checked before the body is decoded
    #: (HTTP 400); far below what would exhaust the JSON decoder's recursion, and above
    #: what the schema's deepest input needs
    max_variables_depth: int = Field(default=32, ge=1, le=200)
    #: characters in one string argument or variable value (BAD_USER_INPUT naming it); ids
    #: travel in vendor URLs, where 4096 percent-encoded characters still fit
    max_string_length: int = Field(default=4096, ge=1)

    @model_validator(mode="after")
    def _margin_leaves_time_for_vendors(self) -> QueryLimits:
        """A margin that eats the whole deadline would fail every vendor call unsent."""
        if self.vendor_deadline_margin >= self.execution_timeout:
            raise ValueError(
                f"vendor_deadline_margin ({self.vendor_deadline_margin:g} s) must be less "
                f"than execution_timeout ({self.execution_timeout:g} s)"
            )
        return self

    @property
    def vendor_deadline(self) -> float:
        """Seconds any vendor call may take at most: the operation's, less the margin."""
        return self.execution_timeout - self.vendor_deadline_margin

    @classmethod
    def from_settings(cls, settings: QueryLimits) -> QueryLimits:
        """The limits alone, out of the settings that inherit them."""
        return cls.model_validate(settings.model_dump(include=set(cls.model_fields)))

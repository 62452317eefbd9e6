"""The in-scope Talon.One Integration API endpoints: method, path template, retry rules.

An endpoint's name (``"PUT /v2/customer_sessions/{customerSessionId}"``) is what errors
carry and what the sandbox counts, so no id ever reaches an error message.
"""

from __future__ import annotations

from dataclasses import dataclass

from vendors.path_segments import number_segment, text_segment

__all__ = ["NUMERIC_PARAMS", "Endpoint"]

VENDOR = "talon"
#: path parameters that are Talon.One entity ids (int64); the rest are client-chosen text
NUMERIC_PARAMS = frozenset({"audienceId", "loyaltyProgramId"})


@dataclass(frozen=True)
class Endpoint:
    method: str
    template: str
    #: a 409 here means "a request for the same session/profile is in progress"
    overlap_conflict: bool = False

    @property
    def name(self) -> str:
        return f"{self.method} {self.template}"

    @property
    def idempotent(self) -> bool:
        """GET, PUT and DELETE are retried; POST is not (Talon.One has no idempotency key)."""
        return self.method != "POST"

    def path(self, **values: str | int) -> str:
        """The path with every value checked and encoded as exactly one segment; a value
        that cannot be one raises :class:`~vendors.path_segments.PathSegmentError`."""
        return self.template.format(**{k: self._segment(k, v) for k, v in values.items()})

    def _segment(self, param: str, value: str | int) -> str:
        if param in NUMERIC_PARAMS:
            return number_segment(value, vendor=VENDOR, endpoint=self.name, param=param)
        if not isinstance(value, str):
            value = str(value)
        return text_segment(value, vendor=VENDOR, endpoint=self.name, param=param)


UPDATE_CUSTOMER_PROFILE_V2 = Endpoint(
    "PUT", "/v2/customer_profiles/{integrationId}", overlap_conflict=True
)
DELETE_CUSTOMER_DATA = Endpoint("DELETE", "/v1/customer_data/{integrationId}")
GET_CUSTOMER_INVENTORY = Endpoint("GET", "/v1/customer_profiles/{integrationId}/inventory")
GET_LOYALTY_TRANSACTIONS = Endpoint(
    "GET", "/v1/loyalty_programs/{loyaltyProgramId}/profile/{integrationId}/transactions"
)
UPDATE_CUSTOMER_SESSION_V2 = Endpoint(
    "PUT", "/v2/customer_sessions/{customerSessionId}", overlap_conflict=True
)
GET_CUSTOMER_SESSION = Endpoint("GET", "/v2/customer_sessions/{customerSessionId}")
RETURN_CART_ITEMS = Endpoint("POST", "/v2/customer_sessions/{customerSessionId}/returns")
TRACK_EVENT_V2 = Endpoint("POST", "/v2/events", overlap_conflict=True)
CREATE_COUPON_RESERVATION = Endpoint("POST", "/v1/coupon_reservations/{couponValue}")
DELETE_COUPON_RESERVATION = Endpoint("DELETE", "/v1/coupon_reservations/{couponValue}")
GET_RESERVED_CUSTOMERS = Endpoint("GET", "/v1/coupon_reservations/customerprofiles/{couponValue}")
CREATE_REFERRAL = Endpoint("POST", "/v1/referrals")
CREATE_REFERRALS_FOR_MULTIPLE_ADVOCATES = Endpoint("POST", "/v1/referrals_for_multiple_advocates")
CREATE_AUDIENCE_V2 = Endpoint("POST", "/v2/audiences")
UPDATE_AUDIENCE_V2 = Endpoint("PUT", "/v2/audiences/{audienceId}")
DELETE_AUDIENCE_V2 = Endpoint("DELETE", "/v2/audiences/{audienceId}")
DELETE_AUDIENCE_MEMBERSHIPS_V2 = Endpoint("DELETE", "/v2/audiences/{audienceId}/memberships")
UPDATE_AUDIENCE_CUSTOMERS_ATTRIBUTES = Endpoint(
    "PUT", "/v2/audience_customers/{audienceId}/attributes"
)
UPDATE_CUSTOMER_PROFILE_AUDIENCES = Endpoint("POST", "/v2/customer_audiences")

"""The Talon.One Integration API client: one typed async method per in-scope operation.

Retries: GET, PUT and DELETE are idempotent and retried by :class:`VendorHttp`; POST
(events, returns, reservations, referrals, audiences) is sent exactly once, because
Talon.One has no client-chosen idempotency key. A retried PUT that had already reached
Talon.One (a read timeout) is applied again; session and profile PUTs converge to the same
state, except that closing an already closed session again is refused with 400
(docs/vendors/talon.md §5.4, an inferred rule the sandbox follows).

Overlapping requests: Talon.One processes the requests for one customer session or profile
one at a time and answers a second, concurrent one with **409** ("Too many requests - avoid
parallel requests") instead of queueing it. On the session, profile and event endpoints that
409 becomes :class:`VendorConflictError` with ``code == "TooManyRequests"`` and is *not*
retried here: repeating a write blindly could reorder it behind a later one. The gateway is
meant to serialise writes per session/profile: every such call names its scope (``turn``) and
goes through :meth:`TalonClient._in_turn`, which the queued client overrides. A 409 from
``createAudienceV2`` is different — an audience with that ``integrationId`` already exists —
and keeps the vendor's own code.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel

from vendors.errors import (
    VendorConflictError,
)
from vendors.http import RetryPolicy, VendorHttp, VendorRequest, VendorResponse
from vendors.talon import endpoints as ep
from vendors.talon.auth import TalonAuth
from vendors.talon.config import TalonConfig
from vendors.talon.endpoints import Endpoint
from vendors.talon.errors import OVERLAP_CONFLICT_CODE, parse_error
from vendors.talon.limits import (
    MAX_ADVOCATES,
    MAX_AUDIENCE_ITEMS,
    MAX_CART_ITEMS,
    MAX_CODE_LENGTH,
    MAX_INTEGRATION_IDS,
    LimitCheck,
)
from vendors.talon.models import (
    Audience,
    Coupon,
    CouponReservations,
    CustomerInventory,
    CustomerProfileAudienceRequest,
    CustomerProfileIntegrationRequestV2,
    InlineResponse200,
    InlineResponse201,
    IntegrationCustomerSessionResponse,
    IntegrationEventV2Request,
    IntegrationRequest,
    IntegrationStateV2,
    NewAudience,
    NewReferral,
    NewReferralsForMultipleAdvocates,
    Referral,
    ReturnIntegrationRequest,
    TalonRequest,
    UpdateAudience,
)
from vendors.talon.models.loyalty import LoyaltyLedgerPage

__all__ = ["OVERLAP_CONFLICT_CODE", "PROFILE", "SESSION", "VENDOR", "TalonClient", "talon_http"]

VENDOR = "talon"

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")
Params = dict[str, str]
#: the scopes Talon.One takes one request at a time in
SESSION = "session"
PROFILE = "profile"
#: the path parameter that names a session or a profile
_ID_PARAM = {SESSION: "customerSessionId", PROFILE: "integrationId"}
#: a call's scope and the session or profile id (``None``: nothing Talon.One would lock on)
Turn = tuple[str, str | None]
#: ``getLoyaltyTransactions``' documented ``pageSize`` bound
MAX_LEDGER_PAGE = 1000


def talon_http(client: httpx.AsyncClient, retry: RetryPolicy | None = None) -> VendorHttp:
    """The shared HTTP edge wired with Talon.One's error parser."""
    return VendorHttp(VENDOR, client, parse_error, retry or RetryPolicy())


def _silent(silent: bool) -> Params:
    return {"silent": "yes" if silent else "no"}


def _dry(dry: bool) -> Params:
    return {"dry": "true"} if dry else {}


class TalonClient:
    """Talon.One Integration API for one Application (its base URL and API key)."""

    def __init__(self, http: VendorHttp, config: TalonConfig) -> None:
        self._http = http
        self._config = config
        # the pooled client is shared by tenants: the key travels per request, in headers
        # built once per tenant client
        self._headers = http.headers(
            {"Accept": "application/json"} | TalonAuth(config.api_key).headers()
        )

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self._config.base_url!r})"

    # -- customer profiles ------------------------------------------------------------------

    async def update_customer_profile_v2(
        self,
        integration_id: str,
        body: CustomerProfileIntegrationRequestV2,
        *,
        run_rule_engine: bool = False,
        dry: bool = False,
    ) -> IntegrationStateV2:
        """``PUT /v2/customer_profiles/{integrationId}``: create or update a profile.

        ``dry`` only works together with ``run_rule_engine``; asking for a dry run without it
        would silently persist, so it is refused here (field ``dry``) without a call.
        """
        endpoint = ep.UPDATE_CUSTOMER_PROFILE_V2
        if dry and not run_rule_engine:
            raise LimitCheck(VENDOR, endpoint.name).fail(
                "dry", "dry runs need run_rule_engine=True"
            )
        params: Params = {"runRuleEngine": "true"} if run_rule_engine else {}
        params |= _dry(dry)
        return await self._write(
            endpoint, PROFILE, integration_id, body, params, IntegrationStateV2
        )

    async def delete_customer_data(self, integration_id: str) -> None:
        """``DELETE /v1/customer_data/{integrationId}``: clear the profile's personal data."""
        endpoint = ep.DELETE_CUSTOMER_DATA
        await self._send(
            endpoint, endpoint.path(integrationId=integration_id), turn=(PROFILE, integration_id)
        )

    async def get_customer_inventory(
        self,
        integration_id: str,
        *,
        profile: bool = False,
        referrals: bool = False,
        coupons: bool = False,
        loyalty: bool = False,
        giveaways: bool = False,
    ) -> CustomerInventory:
        """``GET /v1/customer_profiles/{integrationId}/inventory``; only the flagged parts
        are returned (``loyaltyProjectionEndDate`` is not asked: no model reads projections)."""
        endpoint = ep.GET_CUSTOMER_INVENTORY
        flags = {
            "profile": profile,
            "referrals": referrals,
            "coupons": coupons,
            "loyalty": loyalty,
            "giveaways": giveaways,
        }
        params: Params = {name: "true" for name, on in flags.items() if on}
        response = await self._send(
            endpoint, endpoint.path(integrationId=integration_id), params=params
        )
        return self._parse(CustomerInventory, response, endpoint)

    async def get_loyalty_transactions(
        self, program_id: int, integration_id: str, *, page_size: int, skip: int = 0
    ) -> LoyaltyLedgerPage:
        """``GET /v1/loyalty_programs/{loyaltyProgramId}/profile/{integrationId}/transactions``:
        the profile's ledger rows in one program, newest first. ``page_size`` is sent always:
        left out, the vendor answers up to 1,000 rows."""
        endpoint = ep.GET_LOYALTY_TRANSACTIONS
        check = LimitCheck(VENDOR, endpoint.name)
        if not 1 <= page_size <= MAX_LEDGER_PAGE:
            raise check.fail("pageSize", f"must be 1 to {MAX_LEDGER_PAGE}")
        if skip < 0:
            raise check.fail("skip", "must not be negative")
        params: Params = {"pageSize": str(page_size)}
        if skip:
            params["skip"] = str(skip)
        path = endpoint.path(loyaltyProgramId=program_id, integrationId=integration_id)
        response = await self._send(endpoint, path, params=params)
        return self._parse(LoyaltyLedgerPage, response, endpoint)

    # -- customer sessions ------------------------------------------------------------------

    async def update_customer_session_v2(
        self, customer_session_id: str, body: IntegrationRequest, *, dry: bool = False
    ) -> IntegrationStateV2:
        """``PUT /v2/customer_sessions/{customerSessionId}``: create or update a session.

        Fields left out of ``body.customer_session`` keep their stored values; send the whole
        cart each time, and ``coupon_codes=[]`` / ``referral_code=""`` to clear codes.
        """
        endpoint = ep.UPDATE_CUSTOMER_SESSION_V2
        check = LimitCheck(VENDOR, endpoint.name)
        session = body.customer_session
        check.count("customerSession.cartItems", session.cart_items, most=MAX_CART_ITEMS)
        check.each_length("customerSession.couponCodes", session.coupon_codes, most=MAX_CODE_LENGTH)
        check.length("customerSession.referralCode", session.referral_code, most=MAX_CODE_LENGTH)
        return await self._session_write(
            endpoint, customer_session_id, body, dry, IntegrationStateV2
        )

    async def get_customer_session(
        self, customer_session_id: str
    ) -> IntegrationCustomerSessionResponse:
        """``GET /v2/customer_sessions/{customerSessionId}``: the session and the effects
        still in force."""
        endpoint = ep.GET_CUSTOMER_SESSION
        response = await self._send(endpoint, endpoint.path(customerSessionId=customer_session_id))
        return self._parse(IntegrationCustomerSessionResponse, response, endpoint)

    async def return_cart_items(
        self, customer_session_id: str, body: ReturnIntegrationRequest, *, dry: bool = False
    ) -> IntegrationStateV2:
        """``POST /v2/customer_sessions/{customerSessionId}/returns`` (closed sessions only);
        the session becomes ``partially_returned``. Not retried."""
        endpoint = ep.RETURN_CART_ITEMS
        return await self._session_write(
            endpoint, customer_session_id, body, dry, IntegrationStateV2
        )

    # -- events -----------------------------------------------------------------------------

    async def track_event_v2(
        self, body: IntegrationEventV2Request, *, silent: bool = True, dry: bool = False
    ) -> IntegrationStateV2 | None:
        """``POST /v2/events``; ``silent=True`` (the default) answers 204 → ``None``."""
        endpoint = ep.TRACK_EVENT_V2
        params = _silent(silent) | _dry(dry)
        response = await self._send(
            endpoint, endpoint.path(), params=params, body=body, turn=(PROFILE, body.profile_id)
        )
        return self._parse_optional(IntegrationStateV2, response, endpoint)

    # -- coupon reservations ----------------------------------------------------------------

    async def create_coupon_reservation(
        self, coupon_value: str, body: CouponReservations
    ) -> Coupon:
        """``POST /v1/coupon_reservations/{couponValue}``: a soft reservation (201)."""
        endpoint = ep.CREATE_COUPON_RESERVATION
        self._check_reservations(endpoint, body)
        response = await self._send(endpoint, endpoint.path(couponValue=coupon_value), body=body)
        return self._parse(Coupon, response, endpoint)

    async def delete_coupon_reservation(self, coupon_value: str, body: CouponReservations) -> None:
        """``DELETE /v1/coupon_reservations/{couponValue}`` (a DELETE with a JSON body)."""
        endpoint = ep.DELETE_COUPON_RESERVATION
        self._check_reservations(endpoint, body)
        await self._send(endpoint, endpoint.path(couponValue=coupon_value), body=body)

    async def get_reserved_customers(self, coupon_value: str) -> InlineResponse200:
        """``GET /v1/coupon_reservations/customerprofiles/{couponValue}``: every profile with
        a soft or hard reservation (the whole list; no paging)."""
        endpoint = ep.GET_RESERVED_CUSTOMERS
        response = await self._send(endpoint, endpoint.path(couponValue=coupon_value))
        return self._parse(InlineResponse200, response, endpoint)

    # -- referrals --------------------------------------------------------------------------

    async def create_referral(self, body: NewReferral) -> Referral:
        """``POST /v1/referrals``: a referral code for one advocate (201)."""
        endpoint = ep.CREATE_REFERRAL
        response = await self._send(endpoint, endpoint.path(), body=body)
        return self._parse(Referral, response, endpoint)

    async def create_referrals_for_multiple_advocates(
        self, body: NewReferralsForMultipleAdvocates, *, silent: bool = True
    ) -> InlineResponse201 | None:
        """``POST /v1/referrals_for_multiple_advocates``: one code per advocate (1-1000);
        201 with the referrals, or 204 → ``None`` when ``silent``."""
        endpoint = ep.CREATE_REFERRALS_FOR_MULTIPLE_ADVOCATES
        LimitCheck(VENDOR, endpoint.name).count(
            "advocateProfileIntegrationIds",
            body.advocate_profile_integration_ids,
            most=MAX_ADVOCATES,
            least=1,
        )
        response = await self._send(endpoint, endpoint.path(), params=_silent(silent), body=body)
        return self._parse_optional(InlineResponse201, response, endpoint)

    # -- audiences --------------------------------------------------------------------------

    async def create_audience_v2(self, body: NewAudience) -> Audience:
        """``POST /v2/audiences`` (201). A duplicate ``(integration, integrationId)`` raises
        :class:`VendorConflictError` with the vendor's code."""
        endpoint = ep.CREATE_AUDIENCE_V2
        response = await self._send(endpoint, endpoint.path(), body=body)
        return self._parse(Audience, response, endpoint)

    async def update_audience_v2(self, audience_id: int, body: UpdateAudience) -> Audience:
        """``PUT /v2/audiences/{audienceId}``: rename (does not run the rule engine)."""
        endpoint = ep.UPDATE_AUDIENCE_V2
        response = await self._send(endpoint, endpoint.path(audienceId=audience_id), body=body)
        return self._parse(Audience, response, endpoint)

    async def delete_audience_v2(self, audience_id: int) -> None:
        """``DELETE /v2/audiences/{audienceId}``, with all its memberships.

        The 2022 spec leaves this operation on the Management API's default auth; the
        Integration API key is sent, as in the current spec.
        """
        endpoint = ep.DELETE_AUDIENCE_V2
        await self._send(endpoint, endpoint.path(audienceId=audience_id))

    async def delete_audience_memberships_v2(self, audience_id: int) -> None:
        """``DELETE /v2/audiences/{audienceId}/memberships``: empty the audience (auth as
        for :meth:`delete_audience_v2`)."""
        endpoint = ep.DELETE_AUDIENCE_MEMBERSHIPS_V2
        await self._send(endpoint, endpoint.path(audienceId=audience_id))

    async def update_audience_customers_attributes(
        self, audience_id: int, attributes: dict[str, Any]
    ) -> None:
        """``PUT /v2/audience_customers/{audienceId}/attributes``: set these profile
        attributes on every member (204)."""
        endpoint = ep.UPDATE_AUDIENCE_CUSTOMERS_ATTRIBUTES
        await self._send(endpoint, endpoint.path(audienceId=audience_id), body=attributes)

    async def update_customer_profile_audiences(self, body: CustomerProfileAudienceRequest) -> None:
        """``POST /v2/customer_audiences``: up to 1000 add/delete actions (204). Not retried."""
        endpoint = ep.UPDATE_CUSTOMER_PROFILE_AUDIENCES
        LimitCheck(VENDOR, endpoint.name).count("data", body.data, most=MAX_AUDIENCE_ITEMS)
        await self._send(endpoint, endpoint.path(), body=body)

    # -- plumbing ---------------------------------------------------------------------------

    def _check_reservations(self, endpoint: Endpoint, body: CouponReservations) -> None:
        LimitCheck(VENDOR, endpoint.name).count(
            "integrationIDs", body.integration_ids, most=MAX_INTEGRATION_IDS
        )

    async def _send(
        self,
        endpoint: Endpoint,
        path: str,
        *,
        params: Params | None = None,
        body: TalonRequest | dict[str, Any] | None = None,
        turn: Turn | None = None,
    ) -> VendorResponse:
        """One call; with a ``turn``, through :meth:`_in_turn` for that session or profile."""
        payload = body.to_wire() if isinstance(body, TalonRequest) else body
        request = self._http.request(
            endpoint.method,
            self._config.base_url + path,
            self._headers,
            params=params,
            json=payload,
        )
        if turn is None:
            return await self._exchange(request, endpoint)
        kind, ident = turn
        return await self._in_turn(kind, ident, lambda: self._exchange(request, endpoint))

    async def _in_turn(self, kind: str, ident: str | None, call: Callable[[], Awaitable[T]]) -> T:
        """Where a session or profile call waits for the one before it: here it does not
        (:class:`~vendors.resilience.talon_writes.QueuedTalonClient` queues)."""
        return await call()

    async def _exchange(self, request: VendorRequest, endpoint: Endpoint) -> VendorResponse:
        """The request sent; an overlap 409 gets :data:`OVERLAP_CONFLICT_CODE`."""
        try:
            return await self._http.send(
                request, endpoint=endpoint.name, idempotent=endpoint.idempotent
            )
        except VendorConflictError as exc:
            if not endpoint.overlap_conflict:
                raise
            raise VendorConflictError(
                VENDOR,
                endpoint.name,
                exc.status,
                "a request for the same session or profile is in progress",
                code=OVERLAP_CONFLICT_CODE,
            ) from None

    async def _session_write(
        self,
        endpoint: Endpoint,
        customer_session_id: str,
        body: TalonRequest,
        dry: bool,
        model: type[M],
    ) -> M:
        """A write to one session (update, returns): ``dry`` as the query."""
        return await self._write(endpoint, SESSION, customer_session_id, body, _dry(dry), model)

    async def _write(
        self,
        endpoint: Endpoint,
        kind: str,
        ident: str,
        body: TalonRequest,
        params: Params,
        model: type[M],
    ) -> M:
        """A write to one session or profile: its id in the path, sent in its turn, the
        state the vendor answers with."""
        path = endpoint.path(**{_ID_PARAM[kind]: ident})
        response = await self._send(endpoint, path, params=params, body=body, turn=(kind, ident))
        return self._parse(model, response, endpoint)

    def _parse(self, model: type[M], response: VendorResponse, endpoint: Endpoint) -> M:
        return response.parsed(model, VENDOR, endpoint.name, code="UnexpectedResponse")

    def _parse_optional(
        self, model: type[M], response: VendorResponse, endpoint: Endpoint
    ) -> M | None:
        if response.status_code == 204 or not response.content:
            return None
        return self._parse(model, response, endpoint)

"""Customer sessions (v2), cart items and returns."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from vendors.talon.models._base import Attributes, TalonModel, TalonRequest, Timestamp

__all__ = [
    "AdditionalCost",
    "CartItem",
    "CustomerSessionV2",
    "IntegrationRequest",
    "NewCustomerSessionV2",
    "NewReturn",
    "Return",
    "ReturnIntegrationRequest",
    "ReturnResponseContent",
    "ReturnedCartItem",
    "SessionResponseContent",
    "SessionState",
]

SessionState = Literal["open", "closed", "partially_returned", "cancelled"]

#: what both a session update and a return can ask to get back
_OutcomeContent = Literal[
    "customerSession",
    "customerProfile",
    "coupons",
    "triggeredCampaigns",
    "referral",
    "loyalty",
    "event",
]

SessionResponseContent = Literal[
    _OutcomeContent, "awardedGiveaways", "ruleFailureReasons", "previousReturns"
]

ReturnResponseContent = Literal[_OutcomeContent, "previousReturns"]


class AdditionalCost(TalonRequest):
    price: float


class CartItem(TalonRequest):
    """One cart line, sent in a session and returned with server-computed fields."""

    name: str
    sku: str
    quantity: int
    #: required by the 2022 spec; may be left out when the item comes from a catalog
    price: float | None = None
    category: str | None = None
    attributes: Attributes | None = None
    #: computed by the server: the item's index in the cart
    position: float | None = None
    #: computed by the server after returns
    returned_quantity: int | None = None
    remaining_quantity: int | None = None


class NewCustomerSessionV2(TalonRequest):
    """Every field is optional; left-out fields keep their stored values on the server."""

    #: the profile's ``integrationId``; ``""`` is an anonymous session
    profile_id: str | None = None
    #: each at most 100 characters; ``[]`` clears the stored codes
    coupon_codes: list[str] | None = None
    #: at most 100 characters; ``""`` clears the stored code
    referral_code: str | None = None
    state: SessionState | None = None
    #: at most 1000 items; send the whole cart each time
    cart_items: list[CartItem] | None = None
    additional_costs: dict[str, AdditionalCost] | None = None
    attributes: Attributes | None = None


class IntegrationRequest(TalonRequest):
    customer_session: NewCustomerSessionV2
    response_content: list[SessionResponseContent] | None = None


class CustomerSessionV2(TalonModel):
    created: Timestamp
    #: the session id chosen by the client
    integration_id: str
    profile_id: str
    #: ``open`` | ``closed`` | ``partially_returned`` | ``cancelled``
    state: str
    cart_items: list[CartItem]
    attributes: Attributes
    first_session: bool
    total: float
    cart_item_total: float
    additional_cost_total: float
    updated: Timestamp
    coupon_codes: list[str] | None = None
    referral_code: str | None = None
    additional_costs: dict[str, AdditionalCost] | None = None


class ReturnedCartItem(TalonRequest):
    #: index into the session's ``cartItems``
    position: int
    #: only with cart-item flattening; otherwise the whole line is returned
    quantity: int | None = None


class NewReturn(TalonRequest):
    returned_cart_items: list[ReturnedCartItem]


class ReturnIntegrationRequest(TalonRequest):
    return_: NewReturn = Field(alias="return")
    response_content: list[ReturnResponseContent] | None = None


class Return(TalonModel):
    """A return as answered: the gateway passes on its id."""

    id: int

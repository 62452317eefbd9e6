"""The Omnidesk Customer API v2 client (customer service: customers per brand, channels,
custom fields, timeline, CRM sync, delete and purge)."""

from gateway.vendors.omnidesk.auth import OmnideskAuth
from gateway.vendors.omnidesk.client import OmnideskClient, omnidesk_http
from gateway.vendors.omnidesk.config import OmnideskConfig
from gateway.vendors.omnidesk.errors import is_error_body, parse_error
from gateway.vendors.omnidesk.models import (
    ActionResult,
    Channel,
    ChannelInput,
    CrmChannel,
    Customer,
    CustomerChanges,
    CustomerList,
    CustomerPage,
    CustomerSummary,
    ExternalEvent,
    NewChannels,
    NewCustomer,
    Timeline,
    TimelineEntry,
)

__all__ = [
    "ActionResult",
    "Channel",
    "ChannelInput",
    "CrmChannel",
    "Customer",
    "CustomerChanges",
    "CustomerList",
    "CustomerPage",
    "CustomerSummary",
    "ExternalEvent",
    "NewChannels",
    "NewCustomer",
    "OmnideskAuth",
    "OmnideskClient",
    "OmnideskConfig",
    "Timeline",
    "TimelineEntry",
    "is_error_body",
    "omnidesk_http",
    "parse_error",
]

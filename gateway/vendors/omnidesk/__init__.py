"""The Omnidesk Customer API v2 client (customer service: customers per brand, channels,
custom fields, timeline, CRM sync, delete and purge).

The models are re-exported as :mod:`gateway.vendors.omnidesk.models` lists them, so the
list of public model names is kept in one place.
"""

from gateway.vendors.omnidesk import models
from gateway.vendors.omnidesk.auth import OmnideskAuth
from gateway.vendors.omnidesk.client import OmnideskClient, omnidesk_http
from gateway.vendors.omnidesk.config import OmnideskConfig
from gateway.vendors.omnidesk.errors import is_error_body, parse_error
from gateway.vendors.omnidesk.models import *  # noqa: F403

__all__ = [
    *models.__all__,
    "OmnideskAuth",
    "OmnideskClient",
    "OmnideskConfig",
    "is_error_body",
    "omnidesk_http",
    "parse_error",
]

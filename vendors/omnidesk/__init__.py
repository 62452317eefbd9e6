"""The Omnidesk Customer API v2 client (customer service: customers per brand, channels,
custom fields, timeline, CRM sync, delete and purge).

The models are re-exported as :mod:`vendors.omnidesk.models` lists them, so the
list of public model names is kept in one place.
"""

from vendors.omnidesk import models
from vendors.omnidesk.auth import OmnideskAuth
from vendors.omnidesk.client import OmnideskClient, omnidesk_http
from vendors.omnidesk.config import OmnideskConfig
from vendors.omnidesk.errors import is_error_body, parse_error
from vendors.omnidesk.models import *  # noqa: F403

__all__ = [
    *models.__all__,
    "OmnideskAuth",
    "OmnideskClient",
    "OmnideskConfig",
    "is_error_body",
    "omnidesk_http",
    "parse_error",
]

"""Talon.One Integration API client: the v2 operations and the current ones under ``/v1/``
(inventory, reservations, referrals, ledger, data deletion); none of the v1 legacy updates.

Build one :class:`TalonClient` per Application::

    http = talon_http(build_async_client(settings))
    client = TalonClient(http, TalonConfig(base_url=..., api_key=SecretStr(...)))
    state = await client.update_customer_session_v2("s-1", IntegrationRequest(...))

Everything it returns is a pydantic model from :mod:`vendors.talon.models`; every
failure is a :class:`vendors.errors.VendorError`.
"""

from vendors.talon.auth import TalonAuth
from vendors.talon.client import OVERLAP_CONFLICT_CODE, VENDOR, TalonClient, talon_http
from vendors.talon.config import TalonConfig
from vendors.talon.errors import parse_error

__all__ = [
    "OVERLAP_CONFLICT_CODE",
    "VENDOR",
    "TalonAuth",
    "TalonClient",
    "TalonConfig",
    "parse_error",
    "talon_http",
]

"""One tenant's view of the three vendor clients: what a declared read calls
(:mod:`vendors.reads`) and a request's loaders are handed.

Its own module, below :mod:`gateway.vendor_clients` (which builds it from the settings), so
the read declarations can name it without reaching the settings that derive their TTLs
from those declarations.
"""

from __future__ import annotations

from dataclasses import dataclass

from vendors.omnidesk.client import OmnideskClient
from vendors.tallymarks.client import TallymarksClient
from vendors.talon.client import TalonClient

__all__ = ["TenantClients"]


@dataclass(frozen=True)
class TenantClients:
    """One tenant's view of the three vendors."""

    tallymarks: TallymarksClient
    omnidesk: OmnideskClient
    talon: TalonClient

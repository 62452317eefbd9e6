"""Pydantic models of the Talon.One Integration API (2022 spec, plus the v1 legacy state).

Attributes are snake_case over Talon.One's camelCase keys (``integrationIDs``,
``StatusCode``, ``campaignID``, ``programID``, ``catalogItemID`` spelled as the vendor
does); unknown keys are ignored and every key the spec does not require is optional.
Requests (:class:`TalonRequest`) are sent by alias without unset fields.

Every submodule's public names are re-exported here, so each name is listed once, in its
submodule's ``__all__``.
"""

from vendors.talon.models import (
    _base,
    audiences,
    campaigns,
    coupons,
    effects,
    errors,
    events,
    legacy,
    loyalty,
    profiles,
    sessions,
    state,
)
from vendors.talon.models._base import *  # noqa: F403
from vendors.talon.models.audiences import *  # noqa: F403
from vendors.talon.models.campaigns import *  # noqa: F403
from vendors.talon.models.coupons import *  # noqa: F403
from vendors.talon.models.effects import *  # noqa: F403
from vendors.talon.models.errors import *  # noqa: F403
from vendors.talon.models.events import *  # noqa: F403
from vendors.talon.models.legacy import *  # noqa: F403
from vendors.talon.models.loyalty import *  # noqa: F403
from vendors.talon.models.profiles import *  # noqa: F403
from vendors.talon.models.sessions import *  # noqa: F403
from vendors.talon.models.state import *  # noqa: F403

__all__ = [
    *_base.__all__,
    *audiences.__all__,
    *campaigns.__all__,
    *coupons.__all__,
    *effects.__all__,
    *errors.__all__,
    *events.__all__,
    *legacy.__all__,
    *loyalty.__all__,
    *profiles.__all__,
    *sessions.__all__,
    *state.__all__,
]

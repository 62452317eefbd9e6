"""Pydantic models of the Talon.One Integration API (2022 spec; no v1 legacy update models:
the gateway does not call those operations).

Tolerant readers: a response model declares only the keys the gateway reads (unknown keys
are ignored; docs/vendors/talon.md describes the whole payload), and a request model only
the keys the gateway sends. Attributes are snake_case over Talon.One's camelCase keys
(``integrationIDs`` and ``transactionUUID`` spelled as the vendor does); a key the spec does
not require is optional. Requests (:class:`TalonRequest`) are sent by alias without unset
fields.

Every submodule's public names are re-exported here, so each name is listed once, in its
submodule's ``__all__``.
"""

from vendors.talon.models import (
    _base,
    audiences,
    coupons,
    effects,
    errors,
    events,
    loyalty,
    profiles,
    sessions,
    state,
)
from vendors.talon.models._base import *  # noqa: F403
from vendors.talon.models.audiences import *  # noqa: F403
from vendors.talon.models.coupons import *  # noqa: F403
from vendors.talon.models.effects import *  # noqa: F403
from vendors.talon.models.errors import *  # noqa: F403
from vendors.talon.models.events import *  # noqa: F403
from vendors.talon.models.loyalty import *  # noqa: F403
from vendors.talon.models.profiles import *  # noqa: F403
from vendors.talon.models.sessions import *  # noqa: F403
from vendors.talon.models.state import *  # noqa: F403

__all__ = [
    *_base.__all__,
    *audiences.__all__,
    *coupons.__all__,
    *effects.__all__,
    *errors.__all__,
    *events.__all__,
    *loyalty.__all__,
    *profiles.__all__,
    *sessions.__all__,
    *state.__all__,
]

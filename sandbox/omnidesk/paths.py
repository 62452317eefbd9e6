"""Case-insensitive routing (docs/vendors/omnidesk.md §2.3): the vendor's own paths vary in casing.

``/api/v2/customer/searchbyprimaryexternalid`` and ``…/SearchByPrimaryExternalID`` are the
same endpoint. Rather than registering every casing, a tiny ASGI step rewrites each static
segment of an ``/api/`` path to the spelling the routes use, before anything else (the
request counters included) sees the path. Parameter names are *not* made case-insensitive.
"""

from __future__ import annotations

from collections.abc import Iterable

from starlette.routing import BaseRoute
from starlette.types import ASGIApp, Receive, Scope, Send

API_PREFIX = "/api/"


def canonical_spellings(routes: Iterable[BaseRoute]) -> dict[str, str]:
    """Lower-cased static segment → its spelling in the route table (``/api/`` routes)."""
    spellings: dict[str, str] = {}
    for route in routes:
        path = getattr(route, "path", "")
        if not path.startswith(API_PREFIX):
            continue
        for segment in path.split("/"):
            if segment and "{" not in segment:
                known = spellings.setdefault(segment.lower(), segment)
                if known != segment:
                    raise ValueError(f"ambiguous route segment casing: {known} / {segment}")
    return spellings


class CanonicalPaths:
    """Rewrites the static segments of ``/api/`` paths to their canonical spelling."""

    def __init__(self, app: ASGIApp, spellings: dict[str, str]) -> None:
        self.app = app
        self.spellings = spellings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"].lower().startswith(API_PREFIX):
            path = scope["path"]
            canonical = "/".join(self.spellings.get(s.lower(), s) for s in path.split("/"))
            if canonical != path:
                scope = {**scope, "path": canonical, "raw_path": canonical.encode()}
        await self.app(scope, receive, send)

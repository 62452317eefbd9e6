"""The activity feed's cursor: where each source's stream stands after an edge.

The feed merges three streams that page differently, so one position per source:

- **loyalty** (Tallymarks, paged by an opaque ``offsetKey``): the key of the vendor page that
  holds the next unread event, how many events of that page were already emitted, and
  whether the stream is used up. The vendor hands out a key per *page* only, so an edge in
  the middle of a page resumes by reading that page again and skipping what was emitted.
- **support** and **promotions** (read whole: the Omnidesk timeline, the Talon.One
  inventory): the ``(occurredAt, id)`` of the last item emitted, or nothing yet, and
  whether that was the source's oldest. The next page continues with the items strictly
  after it in the source's order (and reads nothing once the source is used up).

A source that failed keeps the position it had (nothing of it was consumed), so the next
page picks it up again. The cursor is opaque base64 of JSON with a fingerprint of what the
feed is (tenant, customer, sources) and a digest of the whole: a cursor of another feed, or
one altered, is bad input (``argument: "after"``), never a silently wrong page.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson

from gateway.errors import BadUserInputError
from resolvers.activity_items import Source
from resolvers.cursor_text import cursor_text, invalid_cursor, parsed_cursor

__all__ = [
    "FeedPosition",
    "ListPosition",
    "PagedPosition",
    "Position",
    "decode_cursor",
    "encode_cursor",
    "feed_scope",
]

VERSION = 1
#: the vendor's own page limit: no position skips more than one whole page
MAX_SKIP = 100
_FIELDS = {Source.LOYALTY: "l", Source.SUPPORT: "s", Source.PROMOTIONS: "p"}


@dataclass(frozen=True, slots=True)
class PagedPosition:
    """A Tallymarks stream: ``skip`` events of the page at ``offset_key`` (``None``: the
    first page) were emitted; ``exhausted`` once the last page is used up."""

    offset_key: str | None = None
    skip: int = 0
    exhausted: bool = False


@dataclass(frozen=True, slots=True)
class ListPosition:
    """A stream read whole: the sort key of the last item emitted (``None``: none yet);
    ``exhausted`` once that was its oldest item (later pages need not read it again)."""

    last: tuple[datetime, str] | None = None
    exhausted: bool = False


Position = PagedPosition | ListPosition


@dataclass(frozen=True, slots=True)
class FeedPosition:
    """Where every requested source stands; the sources not requested are absent."""

    positions: Mapping[Source, Position]

    @classmethod
    def start(cls, sources: Iterable[Source]) -> FeedPosition:
        return cls({s: PagedPosition() if s is Source.LOYALTY else ListPosition() for s in sources})

    def moved(self, source: Source, position: Position) -> FeedPosition:
        return FeedPosition({**self.positions, source: position})


def feed_scope(tenant: str, customer_id: str, sources: Iterable[Source]) -> str:
    """A short fingerprint of one feed: a cursor only pages the feed that made it."""
    material = json.dumps([tenant, customer_id, sorted(s.value for s in sources)])
    return hashlib.sha256(material.encode()).hexdigest()[:12]


def _digest(body: Mapping[str, Any]) -> str:
    """Of the body's canonical JSON (keys sorted, compact). orjson's is the stdlib's for
    ASCII text; a cursor made before with other text is checked against the stdlib's."""
    canonical = orjson.dumps(body, option=orjson.OPT_SORT_KEYS)
    return hashlib.sha256(canonical).hexdigest()[:12]


def _stdlib_digest(body: Mapping[str, Any]) -> str:
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()[:12]


def encode_cursor(position: FeedPosition, scope: str) -> str:
    body: dict[str, Any] = {"v": VERSION, "q": scope}
    for source, at in position.positions.items():
        body[_FIELDS[source]] = _encode_position(at)
    body["h"] = _digest(body)
    return cursor_text(body)


def _encode_position(at: Position) -> Any:
    if isinstance(at, PagedPosition):
        return [at.offset_key, at.skip, at.exhausted]
    return None if at.last is None else [at.last[0].isoformat(), at.last[1], at.exhausted]


def decode_cursor(value: str, scope: str, sources: Iterable[Source]) -> FeedPosition:
    """The position a cursor of this feed holds; anything else is BAD_USER_INPUT."""
    body = _load(value)
    if body.get("q") != scope:
        raise BadUserInputError(
            "This cursor belongs to another feed (customer or sources); page with the same "
            "arguments that produced it.",
            argument="after",
        )
    wanted = set(sources)
    positions: dict[Source, Position] = {}
    for source, name in _FIELDS.items():
        if (name in body) != (source in wanted):
            raise _bad()
        if source in wanted:
            positions[source] = _decode_position(source, body[name])
    return FeedPosition(positions)


def _bad() -> BadUserInputError:
    return invalid_cursor("after")


def _load(value: str) -> dict[str, Any]:
    body = parsed_cursor(value)
    if not isinstance(body, dict) or body.get("v") != VERSION:
        raise _bad()
    digest = body.pop("h", None)
    if not isinstance(digest, str):
        raise _bad()
    try:
        if digest != _digest(body) and digest != _stdlib_digest(body):
            raise _bad()
    except (TypeError, ValueError, RecursionError):  # e.g. an integer beyond 64 bits
        raise _bad() from None
    return body


def _decode_position(source: Source, raw: Any) -> Position:
    if source is Source.LOYALTY:
        match raw:
            case [str() | None as key, int() as skip, bool() as exhausted] if (
                not isinstance(skip, bool) and 0 <= skip <= MAX_SKIP
            ):
                return PagedPosition(key, skip, exhausted)
        raise _bad()
    if raw is None:
        return ListPosition()
    match raw:
        case [str() as at, str() as item_id, bool() as exhausted]:
            try:
                when = datetime.fromisoformat(at)
            except ValueError:
                raise _bad() from None
            if when.tzinfo is None:
                raise _bad()
            return ListPosition((when, item_id), exhausted)
    raise _bad()

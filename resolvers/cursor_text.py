"""The outer form every cursor the gateway hands out shares: unpadded URL-safe base64 of
compact JSON. Decoding is where a hostile ``after`` arrives, so it is handled here once:
whatever fails to decode is BAD_USER_INPUT — JSON nested a few thousand levels deep (a
4 KB string) included, whose ``RecursionError`` was an internal error. No length cap: a
cursor carries the vendor's opaque page key, whose length is the vendor's; the schema's
string limit (``CG_MAX_STRING_LENGTH``) bounds what is decoded.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

import orjson

from gateway.errors import BadUserInputError

__all__ = ["cursor_text", "invalid_cursor", "parsed_cursor"]


def invalid_cursor(argument: str = "after") -> BadUserInputError:
    return BadUserInputError("Not a valid cursor.", argument=argument)


def cursor_text(body: object) -> str:
    """``body`` (JSON types only) as a cursor."""
    return base64.urlsafe_b64encode(orjson.dumps(body)).decode().rstrip("=")


def parsed_cursor(value: str, *, argument: str = "after") -> Any:
    """The JSON a cursor holds; anything that is not a cursor → BAD_USER_INPUT."""
    try:
        padded = value + "=" * (-len(value) % 4)
        return json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError, RecursionError):
        raise invalid_cursor(argument) from None

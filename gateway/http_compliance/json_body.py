"""Request JSON, decoded without letting the client choose how deep the decoder recurses.

``json.loads`` recurses once per nesting level: a 2 KB body of 1,000 nested objects ends
in a ``RecursionError`` (an HTTP 500). So the nesting depth is measured first, without
recursion and outside string literals, and a body deeper than the limit is refused
before it is decoded. Decoded strings must be Unicode text: a lone UTF-16 surrogate
(``"\\ud83d"``) is valid JSON but no character, and would fail later wherever the text is
encoded again (a vendor URL, a log line), so it is refused here with the parameter named.
"""

from __future__ import annotations

import json
import re
from typing import Any

from gateway.http_compliance.errors import HttpRejectionError

__all__ = [
    "BAD_USER_INPUT",
    "check_text",
    "load_json",
    "nesting_depth",
]

BAD_REQUEST = "BAD_REQUEST"
BAD_USER_INPUT = "BAD_USER_INPUT"

# a JSON string literal; possessive, so an unterminated one cannot backtrack
_STRING = re.compile(rb'"(?:[^"\\]++|\\.)*+"', re.DOTALL)
_BRACKETS = re.compile(rb"[\[\]{}]")
_OPENING = frozenset(b"[{")
_SURROGATE = re.compile("[\ud800-\udfff]")


def nesting_depth(raw: bytes, limit: int) -> int:
    """How deep arrays and objects nest in ``raw`` (counted up to ``limit + 1``).
    Brackets inside strings do not count; malformed JSON may count wrong, and is refused
    by the decoder anyway."""
    depth = deepest = 0
    for match in _BRACKETS.finditer(_STRING.sub(b'""', raw)):
        if match.group()[0] in _OPENING:
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    break
        else:
            depth -= 1
    return deepest


def load_json(
    raw: bytes | str, *, max_depth: int, parameter: str | None = None, outer: int = 0
) -> Any:
    """``raw`` decoded; 400 when it is not JSON or nests deeper than ``max_depth`` below
    its ``outer`` levels (1 for a request body: its own object)."""
    encoded = raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw
    where = f"`{parameter}`" if parameter else "The request body"
    named: dict[str, Any] = {"parameter": parameter} if parameter else {}
    if nesting_depth(encoded, max_depth + outer) > max_depth + outer:
        inside = f"`{parameter}`" if parameter else "`variables` or `extensions`"
        raise HttpRejectionError(
            400,
            BAD_REQUEST,
            f"{where} is nested too deeply: {inside} may nest arrays and objects "
            f"{max_depth} levels deep.",
            maxDepth=max_depth,
            **named,
        )
    try:
        return json.loads(encoded, parse_constant=_not_json)
    except (ValueError, UnicodeDecodeError, RecursionError):
        problem = "must be a JSON object (URL-encoded)" if parameter else "is not valid JSON"
        raise HttpRejectionError(400, BAD_REQUEST, f"{where} {problem}.", **named) from None


def _not_json(constant: str) -> Any:
    """``NaN``, ``Infinity`` and ``-Infinity``: Python's decoder takes them, JSON has none
    (RFC 8259), and no vendor would take them either."""
    raise ValueError(f"{constant} is not JSON")


def check_text(value: object, parameter: str) -> None:
    """Every string in ``value`` (keys included) is Unicode text: no lone surrogate.
    Iterative, so it holds for any depth :func:`load_json` let through."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            texts: list[str] = [item]
        elif isinstance(item, dict):
            texts = [k for k in item if isinstance(k, str)]
            pending.extend(item.values())
        elif isinstance(item, list):
            texts = []
            pending.extend(item)
        else:
            continue
        for text in texts:
            found = _SURROGATE.search(text)
            if found is not None:
                raise HttpRejectionError(
                    400,
                    BAD_USER_INPUT,
                    f"`{parameter}` holds a lone UTF-16 surrogate "
                    f"(\\u{ord(found.group()):04x}), which is not a character: "
                    "send text as valid Unicode.",
                    parameter=parameter,
                )

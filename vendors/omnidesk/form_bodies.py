"""Omnidesk form bodies as bytes, built in one pass (docs/vendors/omnidesk.md §2).

POST bodies are ``multipart/form-data`` (documented) and PUT/DELETE bodies
``application/x-www-form-urlencoded``. httpx's encoders build a stream of parts per request
and write each part separately; these build the same bytes at once, so a body goes out in
one write. The multipart layout and name escaping are httpx's (a contract test compares
them byte for byte). The boundary is random per process, not per request; a body whose
values happen to contain it gets a fresh one.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from urllib.parse import urlencode

__all__ = ["URLENCODED", "USUAL_MULTIPART", "multipart_body", "urlencoded_body"]

URLENCODED = "application/x-www-form-urlencoded"

_BOUNDARY = os.urandom(16).hex()
#: the content type of a body with the usual boundary (the one worth keeping headers for)
USUAL_MULTIPART = f"multipart/form-data; boundary={_BOUNDARY}"
#: what httpx escapes in a part's name (the HTML5 form encoding)
_ESCAPES = {'"': "%22", "\\": "\\\\"} | {chr(c): f"%{c:02X}" for c in range(0x20) if c != 0x1B}
_ESCAPE = re.compile("|".join(re.escape(c) for c in _ESCAPES))


def _name(name: str) -> str:
    return _ESCAPE.sub(lambda m: _ESCAPES[m.group(0)], name)


def multipart_body(fields: Mapping[str, str], boundary: str = _BOUNDARY) -> tuple[bytes, str]:
    """``(body, content_type)`` for string fields sent as parts without file names."""
    if any(boundary in value or boundary in name for name, value in fields.items()):
        boundary = os.urandom(16).hex()
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{_name(name)}"\r\n\r\n{value}\r\n'
        for name, value in fields.items()
    ]
    parts.append(f"--{boundary}--\r\n")
    return "".join(parts).encode(), f"multipart/form-data; boundary={boundary}"


def urlencoded_body(fields: Mapping[str, str]) -> bytes:
    """The fields as ``application/x-www-form-urlencoded`` (as httpx's ``data=`` encodes)."""
    return urlencode(fields, doseq=True).encode("ascii")

"""What ``python -m demo`` prints at start (where everything is, the demo keys), read from
its output: plain text with ``CG_LOG_FORMAT=text``, the ``banner`` field of one JSON record
with ``json`` (the default), so that every line of the process is JSON."""

from __future__ import annotations

import json

__all__ = ["banner_text"]


def banner_text(printed: str) -> str:
    """The banner's text, whichever way it was printed (the whole output when plain)."""
    for line in printed.splitlines():
        if line.startswith("{") and '"banner"' in line:
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                continue  # a line still being written
            banner = record.get("banner") if isinstance(record, dict) else None
            if isinstance(banner, str):
                return banner
    return printed

"""A fingerprint of the credentials a vendor call is made with.

Cached reads are keyed by it (two tenants, or two credentials of one tenant, never share an
entry) and Talon.One's write queues are per application, so it lives with the clients that
hold the credentials; the fingerprint is one-way, so a key or a log line never carries the
secret.
"""

from __future__ import annotations

import hashlib

__all__ = ["credential_scope"]


def credential_scope(*secrets: str) -> str:
    """A short, one-way fingerprint of the credentials a read was made with."""
    digest = hashlib.sha256("\x1f".join(secrets).encode()).hexdigest()
    return digest[:16]

"""``documentId``: the GraphQL-over-HTTP persisted-documents request parameter (the form
graphql-codegen's client preset and urql send), in a POST body or a GET parameter::

    {"documentId": "sha256:<64 lower-case hex>", "variables": {…}}
    GET /graphql?documentId=sha256:<hex>&variables=…

Two identifier forms are accepted: ``sha256:<hex>`` (the sha256 of the document's UTF-8
text) and a custom identifier without a colon (a manifest's own operation id). Other
prefixes are reserved by the proposal (``x-…`` for applications): none is supported here,
so they are refused as bad input rather than looked up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from gateway.persisted.errors import PersistedQueryInvalidError

__all__ = ["MAX_LENGTH", "PARAMETER", "DocumentId", "parse_document_id"]

PARAMETER = "documentId"
#: far above any real identifier (``sha256:`` + 64 hex is 71): ids end up in error messages
MAX_LENGTH = 256

_SHA256 = re.compile(r"sha256:([0-9a-f]{64})")
_CUSTOM = re.compile(r"[A-Za-z0-9._~-]+")


@dataclass(frozen=True)
class DocumentId:
    """One request's document identifier."""

    raw: str
    #: the hex sha256 of ``sha256:`` identifiers, ``None`` for a custom identifier
    sha256: str | None


def parse_document_id(value: object) -> DocumentId:
    """``value`` as a document identifier; ``BAD_USER_INPUT`` (400) when it is none."""
    if not isinstance(value, str) or not value:
        raise _invalid("`documentId` must be a non-empty string.")
    if len(value) > MAX_LENGTH:
        raise _invalid(f"`documentId` is longer than {MAX_LENGTH} characters.")
    sha256 = _SHA256.fullmatch(value)
    if sha256 is not None:
        return DocumentId(value, sha256.group(1))
    if _CUSTOM.fullmatch(value):
        return DocumentId(value, None)
    if value.startswith("sha256:"):
        raise _invalid("A `sha256:` documentId is followed by 64 lower-case hex digits.")
    if ":" in value and _CUSTOM.fullmatch(value.replace(":", "", 1)):
        prefix = value.split(":", 1)[0]
        raise _invalid(f"`documentId` prefix {prefix!r} is not supported: send sha256:<hex>.")
    raise _invalid(
        "`documentId` must be sha256:<hex> or an identifier of letters, digits and -._~."
    )


def _invalid(message: str) -> PersistedQueryInvalidError:
    return PersistedQueryInvalidError(message, parameter=PARAMETER)

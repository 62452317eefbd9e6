"""Why a persisted-operation request was refused, as the GraphQL error and HTTP status
clients expect.

::

    PersistedOperationError (code, status)
    ├── PersistedQueryNotFoundError      PERSISTED_QUERY_NOT_FOUND, 200: send the full text again
    ├── PersistedDocumentNotFoundError   PERSISTED_QUERY_NOT_FOUND, 404: unknown documentId
    ├── PersistedQueryNotSupportedError  PERSISTED_QUERY_NOT_SUPPORTED, 200: APQ is switched off
    ├── PersistedQueryNotAllowedError    PERSISTED_QUERY_NOT_ALLOWED, 400: not a trusted document
    ├── PersistedQueryInvalidError       BAD_USER_INPUT, 400: malformed extension, hash mismatch
    ├── PersistedQueryTooLongError       QUERY_TOO_LONG: a text to register over the length limit
    └── PersistedMutationOverGetError    METHOD_NOT_ALLOWED, 405: a stored mutation, by GET

Apollo's protocol answers "not found" and "not supported" with 200 (and no caching) so
that no proxy or client error handling hides the code the client's link reacts to.
"""

from __future__ import annotations

from typing import Any, ClassVar

from graphql import GraphQLError

from gateway.limits.errors import QUERY_TOO_LONG

__all__ = [
    "PersistedDocumentNotFoundError",
    "PersistedMutationOverGetError",
    "PersistedOperationError",
    "PersistedQueryInvalidError",
    "PersistedQueryNotAllowedError",
    "PersistedQueryNotFoundError",
    "PersistedQueryNotSupportedError",
    "PersistedQueryTooLongError",
]


class PersistedOperationError(Exception):
    code = "BAD_USER_INPUT"
    status = 400
    headers: ClassVar[dict[str, str]] = {}
    #: Apollo clients recognise these exact messages too, not only the codes
    default_message = ""

    def __init__(self, message: str | None = None, **extensions: Any) -> None:
        self.message = message or self.default_message
        self.extensions = extensions
        super().__init__(self.message)

    def to_graphql_error(self) -> GraphQLError:
        return GraphQLError(self.message, extensions={"code": self.code, **self.extensions})


class PersistedQueryNotFoundError(PersistedOperationError):
    code = "PERSISTED_QUERY_NOT_FOUND"
    status = 200
    default_message = "PersistedQueryNotFound"


class PersistedDocumentNotFoundError(PersistedOperationError):
    """A ``documentId`` (GraphQL-over-HTTP persisted documents) names no known document.
    Unlike an APQ miss there is no retry with the text in that protocol, so the status
    says what happened: the named resource does not exist."""

    code = "PERSISTED_QUERY_NOT_FOUND"
    status = 404

    def __init__(self, document_id: str) -> None:
        super().__init__(f"No persisted document has the id {document_id!r}.")


class PersistedQueryNotSupportedError(PersistedOperationError):
    code = "PERSISTED_QUERY_NOT_SUPPORTED"
    status = 200
    default_message = "PersistedQueryNotSupported"


class PersistedQueryNotAllowedError(PersistedOperationError):
    code = "PERSISTED_QUERY_NOT_ALLOWED"
    default_message = (
        "This gateway runs only trusted operations: send one from the persisted-query "
        "manifest (by its hash or its exact text)."
    )


class PersistedQueryInvalidError(PersistedOperationError):
    code = "BAD_USER_INPUT"


class PersistedQueryTooLongError(PersistedOperationError):
    """The query-length limit (``gateway.limits.length``), applied before the text is
    hashed or kept: same code and status as when the schema refuses it (200, a request
    error, which ``application/graphql-response+json`` answers with 400)."""

    code = QUERY_TOO_LONG
    status = 200

    def __init__(self, length: int, max_length: int) -> None:
        super().__init__(
            f"The document is {length} characters long (at most {max_length}): "
            "send large values as variables.",
            length=length,
            maxLength=max_length,
        )


class PersistedMutationOverGetError(PersistedOperationError):
    """GET must stay safe (links, prefetchers and caches replay it), by hash too."""

    code = "METHOD_NOT_ALLOWED"
    status = 405
    headers: ClassVar[dict[str, str]] = {"allow": "POST"}
    default_message = "Mutations are only accepted with POST."

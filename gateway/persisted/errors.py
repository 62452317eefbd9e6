"""Why a persisted-operation request was refused, as the GraphQL error and HTTP status
clients expect.

::

    PersistedOperationError (code, status)
    ├── PersistedQueryNotFoundError      PERSISTED_QUERY_NOT_FOUND, 200: send the full text again
    ├── PersistedQueryNotSupportedError  PERSISTED_QUERY_NOT_SUPPORTED, 200: APQ is switched off
    ├── PersistedQueryNotAllowedError    PERSISTED_QUERY_NOT_ALLOWED, 400: not a trusted document
    ├── PersistedQueryInvalidError       BAD_USER_INPUT, 400: malformed extension, hash mismatch
    └── PersistedMutationOverGetError    METHOD_NOT_ALLOWED, 405: a stored mutation, by GET

Apollo's protocol answers "not found" and "not supported" with 200 (and no caching) so
that no proxy or client error handling hides the code the client's link reacts to.
"""

from __future__ import annotations

from typing import ClassVar

from graphql import GraphQLError

__all__ = [
    "PersistedMutationOverGetError",
    "PersistedOperationError",
    "PersistedQueryInvalidError",
    "PersistedQueryNotAllowedError",
    "PersistedQueryNotFoundError",
    "PersistedQueryNotSupportedError",
]


class PersistedOperationError(Exception):
    code = "BAD_USER_INPUT"
    status = 400
    headers: ClassVar[dict[str, str]] = {}
    #: Apollo clients recognise these exact messages too, not only the codes
    default_message = ""

    def __init__(self, message: str | None = None) -> None:
        self.message = message or self.default_message
        super().__init__(self.message)

    def to_graphql_error(self) -> GraphQLError:
        return GraphQLError(self.message, extensions={"code": self.code})


class PersistedQueryNotFoundError(PersistedOperationError):
    code = "PERSISTED_QUERY_NOT_FOUND"
    status = 200
    default_message = "PersistedQueryNotFound"


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


class PersistedMutationOverGetError(PersistedOperationError):
    """GET must stay safe (links, prefetchers and caches replay it), by hash too."""

    code = "METHOD_NOT_ALLOWED"
    status = 405
    headers: ClassVar[dict[str, str]] = {"allow": "POST"}
    default_message = "Mutations are only accepted with POST."

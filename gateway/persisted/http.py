"""Persisted operations inside Strawberry's HTTP view: each operation of a request (one
of a batch too) is resolved to the document it names before Strawberry executes it, so
GET and POST, limits, validation and the mutations-not-over-GET rule all see the real text.

Strawberry's request data has no ``documentId``: :func:`with_document_ids` reads it from
the same GET parameters or JSON body and carries it in :class:`PersistedRequestData`.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Awaitable, Callable, Mapping
from functools import lru_cache
from typing import Any

from cross_web import AsyncHTTPRequestAdapter
from fastapi import Request, Response
from graphql import GraphQLError, OperationType, parse
from graphql.utilities import get_operation_ast
from strawberry.http import GraphQLRequestData
from strawberry.types import ExecutionResult
from strawberry.types.execution import PreExecutionError

from gateway.incremental import initial_of
from gateway.persisted.apq import EXTENSION
from gateway.persisted.document_id import PARAMETER as DOCUMENT_ID
from gateway.persisted.errors import (
    PersistedMutationOverGetError,
    PersistedOperationError,
    PersistedQueryNotFoundError,
)
from gateway.persisted.operations import PersistedOperations
from gateway.request_state import RequestState

__all__ = [
    "PersistedRequestData",
    "execute_persisted",
    "names_persisted_document",
    "names_persisted_operation",
    "with_document_ids",
]

Execute = Callable[[GraphQLRequestData], Awaitable[ExecutionResult]]

#: a refused request must not be cached: the same hash may work once registered
NO_CACHE = "private, no-cache, must-revalidate"


@dataclasses.dataclass
class PersistedRequestData(GraphQLRequestData):
    """Strawberry's request data, with the request's ``documentId`` (as sent)."""

    document_id: object = None


async def with_document_ids(
    request: AsyncHTTPRequestAdapter,
    parsed: GraphQLRequestData | list[GraphQLRequestData],
) -> GraphQLRequestData | list[GraphQLRequestData]:
    """``parsed`` (Strawberry's reading of the request) with each operation's
    ``documentId``; unchanged when the request sends none."""
    if request.method == "GET":
        raw: object = dict(request.query_params)
    else:
        body = await request.get_body()
        if DOCUMENT_ID.encode() not in body:
            return parsed  # the common case, without decoding the body twice
        raw = json.loads(body)  # Strawberry decoded it already: valid JSON
    if isinstance(parsed, list):
        items = raw if isinstance(raw, list) else []
        return [_with_document_id(data, item) for data, item in zip(parsed, items, strict=False)]
    return _with_document_id(parsed, raw)


def _with_document_id(data: GraphQLRequestData, raw: object) -> GraphQLRequestData:
    if not isinstance(raw, dict) or raw.get(DOCUMENT_ID) is None:
        return data
    fields: dict[str, Any] = {f.name: getattr(data, f.name) for f in dataclasses.fields(data)}
    if fields["operation_name"] == "":  # the proposal: the same as leaving it out
        fields["operation_name"] = None
    return PersistedRequestData(**fields, document_id=raw[DOCUMENT_ID])


async def execute_persisted(
    operations: PersistedOperations,
    request: Request,
    request_data: GraphQLRequestData,
    sub_response: Response,
    execute: Execute,
) -> ExecutionResult:
    """Run ``request_data`` with its persisted document; refusals become a GraphQL error
    (nothing executes, no vendor is called) with the status the protocol expects, and
    are left on the request's state for the metrics (an APQ miss is no refusal:
    the client just sends the text)."""
    try:
        document = await operations.resolve(
            request_data.query,
            request_data.extensions,
            getattr(request_data, "document_id", None),
        )
        if document is not None and request.method == "GET" and request_data.query is None:
            _refuse_mutations(document.query, request_data.operation_name)
    except PersistedOperationError as error:
        if isinstance(error, PersistedQueryNotFoundError):
            operations.observe("miss")
        else:
            operations.observe("refused")
            RequestState.of(request.scope).rejected = error.code
        sub_response.status_code = error.status
        sub_response.headers["cache-control"] = NO_CACHE
        for name, value in error.headers.items():
            sub_response.headers[name] = value
        return PreExecutionError(data=None, errors=[error.to_graphql_error()])
    if document is None:
        return await execute(request_data)
    result = await execute(dataclasses.replace(request_data, query=document.query))
    ran = initial_of(result).data is not None  # parsed, validated, within limits
    if ran:
        await operations.ran_cleanly(document)
    if document.register_as is None:
        operations.observe("hit")
    elif ran:
        operations.observe("registered")
    return result


def _refuse_mutations(query: str, operation_name: str | None) -> None:
    """A GET that sent the text was checked before (``gateway.http_compliance``); one by
    hash is checked here, once its text is known."""
    if _kind(query, operation_name) in (OperationType.MUTATION, OperationType.SUBSCRIPTION):
        raise PersistedMutationOverGetError


@lru_cache(maxsize=256)
def _kind(query: str, operation_name: str | None) -> OperationType | None:
    try:
        operation = get_operation_ast(parse(query), operation_name)
    except GraphQLError:
        return None  # Strawberry answers with the syntax error
    return operation.operation if operation is not None else None


def names_persisted_operation(query_params: Mapping[str, object]) -> bool:
    """A GET carrying ``extensions`` or ``documentId`` is an operation by hash, not a visit
    to the playground."""
    return "extensions" in query_params or DOCUMENT_ID in query_params


def names_persisted_document(query_params: Mapping[str, str]) -> bool:
    """The GET names its document by id (``documentId`` or an APQ hash), not by text."""
    if "query" in query_params:
        return False
    if query_params.get(DOCUMENT_ID):
        return True
    try:
        extensions = json.loads(query_params.get("extensions") or "null")
    except ValueError:
        return False
    return isinstance(extensions, dict) and isinstance(extensions.get(EXTENSION), dict)

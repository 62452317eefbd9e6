"""Strawberry's FastAPI router, with our own playground page (offline, examples as tabs),
``documentId`` and persisted operations, and coded errors in ``@defer``/``@stream`` parts."""

from __future__ import annotations

from cross_web import AsyncHTTPRequestAdapter
from fastapi import Request, Response
from fastapi.responses import HTMLResponse
from graphql import ExperimentalIncrementalExecutionResults
from strawberry.fastapi import GraphQLRouter
from strawberry.http import GraphQLRequestData
from strawberry.http.base import BaseRequestProtocol
from strawberry.types import ExecutionResult

from gateway.context import GraphQLContext
from gateway.http_compliance.json_answer import encode_answer
from gateway.incremental import coded_payloads
from gateway.persisted.http import execute_persisted, names_persisted_operation, with_document_ids
from gateway.persisted.operations import PersistedOperations
from gateway.playground import render_playground


class GatewayGraphQLRouter(GraphQLRouter[GraphQLContext, None]):
    """``playground_headers`` prefill the headers editor (``python -m demo``'s API key)."""

    playground_headers: dict[str, str] | None = None
    playground_variables: dict[str, str] | None = None
    endpoint_path: str = "/graphql"
    #: APQ / trusted documents (``None``: operations run as sent)
    persisted: PersistedOperations | None = None

    async def render_graphql_ide(self, request: Request) -> HTMLResponse:
        page = render_playground(
            self.endpoint_path, self.playground_headers, self.playground_variables
        )
        return HTMLResponse(page, headers={"cache-control": "no-store"})

    def encode_json(self, data: object) -> bytes:
        """Every answer Strawberry writes (whole, or each part of ``multipart/mixed``) in
        the gateway's one JSON encoding."""
        return encode_answer(data)

    def should_render_graphql_ide(self, request: BaseRequestProtocol) -> bool:
        by_id = names_persisted_operation(request.query_params)  # whatever the browser accepts
        return super().should_render_graphql_ide(request) and not by_id

    async def parse_http_body(
        self, request: AsyncHTTPRequestAdapter
    ) -> GraphQLRequestData | list[GraphQLRequestData]:
        """Strawberry's reading of the request, plus the ``documentId`` it does not know."""
        return await with_document_ids(request, await super().parse_http_body(request))

    async def execute_single(
        self,
        request: Request,
        request_adapter: AsyncHTTPRequestAdapter,
        sub_response: Response,
        context: GraphQLContext,
        root_value: None,
        request_data: GraphQLRequestData,
    ) -> ExecutionResult:
        execute = super().execute_single

        async def run(data: GraphQLRequestData) -> ExecutionResult:
            return await execute(request, request_adapter, sub_response, context, root_value, data)

        if self.persisted is None:
            result = await run(request_data)
        else:
            result = await execute_persisted(
                self.persisted, request, request_data, sub_response, run
            )
        if isinstance(result, ExperimentalIncrementalExecutionResults):
            # the later parts run after the schema's extensions: their errors coded here
            return coded_payloads(result, context)
        return result

"""Strawberry's FastAPI router, with our own playground page (offline, examples as tabs)."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse
from strawberry.fastapi import GraphQLRouter

from gateway.context import GraphQLContext
from gateway.playground import render_playground


class GatewayGraphQLRouter(GraphQLRouter[GraphQLContext, None]):
    """``playground_headers`` prefill the headers editor (the embedded demo's API key)."""

    playground_headers: dict[str, str] | None = None
    playground_variables: dict[str, str] | None = None
    endpoint_path: str = "/graphql"

    async def render_graphql_ide(self, request: Request) -> HTMLResponse:
        page = render_playground(
            self.endpoint_path, self.playground_headers, self.playground_variables
        )
        return HTMLResponse(page, headers={"cache-control": "no-store"})

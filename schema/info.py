"""The resolver ``info`` type: our context, no root value."""

from __future__ import annotations

from typing import TypeAlias

import strawberry

from gateway.context import GraphQLContext

Info: TypeAlias = strawberry.Info[GraphQLContext, None]

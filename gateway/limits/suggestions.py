"""Field suggestions switched off (``CG_FIELD_SUGGESTIONS=false``): validation and variable
errors lose their "Did you mean …?" tail, which would otherwise spell out the names of
fields, arguments and enum values to anyone probing a schema whose introspection is off.

graphql-core can hide them itself, but Strawberry (and its validation cache) call it
without that option, so the tail is cut from the messages, as Apollo Server does.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from gateway.error_rewrite import rewritten
from gateway.incremental import initial_of

__all__ = ["HideSuggestions", "without_suggestion"]

# graphql-core's ``did_you_mean``: " Did you mean 'a', 'b', or 'c'?" at the end
_SUGGESTION = re.compile(r" Did you mean .*\?$", re.DOTALL)


def without_suggestion(message: str) -> str:
    return _SUGGESTION.sub("", message)


class HideSuggestions(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        yield
        result = initial_of(self.execution_context.result)  # in parts: the first
        if result is None or not result.errors:
            return
        result.errors = [_hidden(e) for e in result.errors]


def _hidden(error: GraphQLError) -> GraphQLError:
    message = without_suggestion(error.message)
    if message == error.message:
        return error
    return rewritten(error, message=message)

"""Tokens: a document with more lexical tokens than allowed is refused before it is
parsed, so a huge document costs a lexer pass, never a parse tree.

Counting stops one past the limit, and a document shorter than the limit (every token is
at least one character) is not lexed at all. The parser gets the same bound as a backstop.
"""

from __future__ import annotations

from collections.abc import Iterator

from graphql import GraphQLError
from graphql.language import Lexer, Source, TokenKind
from strawberry.extensions import SchemaExtension

from gateway.limits.errors import TOO_MANY_TOKENS, limit_error

__all__ = ["TokenLimit", "count_tokens"]


def count_tokens(query: str, limit: int) -> int:
    """Tokens in ``query``, counted up to ``limit + 1`` (a lexing error ends the count:
    the parser reports it)."""
    if len(query) <= limit:
        return min(len(query), limit)  # an upper bound, good enough to pass the check
    lexer = Lexer(Source(query))
    count = 0
    try:
        while lexer.advance().kind is not TokenKind.EOF:
            count += 1
            if count > limit:
                break
    except GraphQLError:
        pass
    return count


class TokenLimit(SchemaExtension):
    """Must come before the parser cache in the schema's extensions: it refuses the
    document in ``on_parse`` before anything parses it."""

    def __init__(self, max_tokens: int) -> None:
        self.max_tokens = max_tokens

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        context.parse_options["max_tokens"] = self.max_tokens
        query = context.query or ""
        if count_tokens(query, self.max_tokens) > self.max_tokens:
            raise limit_error(
                f"The document has more than {self.max_tokens} tokens.",
                TOO_MANY_TOKENS,
                maxTokens=self.max_tokens,
            )
        yield

"""Length: a document longer than allowed is refused before anything reads it.

Lexing is a Python loop per character (a 900 KB string argument took a third of a second
of CPU, lexed twice: token count, then parse), so the length is checked first; the token
limit then bounds what a document of that length may ask for.
"""

from __future__ import annotations

from collections.abc import Iterator

from strawberry.extensions import SchemaExtension

from gateway.limits.errors import QUERY_TOO_LONG, limit_error

__all__ = ["QueryLength"]


class QueryLength(SchemaExtension):
    """Must come before the token limit and the parser cache in the schema's extensions."""

    def __init__(self, max_length: int) -> None:
        self.max_length = max_length

    def on_parse(self) -> Iterator[None]:
        length = len(self.execution_context.query or "")
        if length > self.max_length:
            raise limit_error(
                f"The document is {length} characters long (at most {self.max_length}): "
                "send large values as variables.",
                QUERY_TOO_LONG,
                length=length,
                maxLength=self.max_length,
            )
        yield

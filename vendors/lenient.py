"""Read-model fields that survive a bad vendor value.

A vendor can hand back a value its own API would not take (a year-999 birth date, a count
sent as text). Parsing the whole record strictly would lose the customer over one field, so
read models mark such fields :class:`Tolerant`: a value that does not parse becomes an
:class:`Unparsed` marker and the rest of the record is read as usual. The schema then
refuses that one field with a coded error (see :mod:`schema.vendor_data`).

Request models never use these types: what the gateway sends stays strict.

::

    birth: Annotated[datetime | Unparsed | None, Tolerant(UtcDatetime | None)] = None
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import GetCoreSchemaHandler, TypeAdapter
from pydantic_core import ValidationError, core_schema

__all__ = [
    "LenientBool",
    "LenientFloat",
    "LenientInt",
    "LenientStr",
    "Tolerant",
    "Unparsed",
]

#: how much of a bad value is kept for the log and the error (vendor data can be large)
MAX_KEPT_CHARS = 200


@dataclass(frozen=True, slots=True)
class Unparsed:
    """A vendor value that its read model could not parse.

    ``raw`` is the value as the vendor sent it (so a cached copy re-reads to the same
    marker); ``problem`` is the parser's reason, for logs."""

    raw: Any
    problem: str

    def __str__(self) -> str:
        shown = repr(self.raw)
        if len(shown) > MAX_KEPT_CHARS:
            shown = shown[:MAX_KEPT_CHARS] + "…"
        return f"unparsed vendor value {shown}: {self.problem}"


class Tolerant:
    """Pydantic metadata: parse as ``inner``, or keep an :class:`Unparsed` marker.

    The annotated type should be ``inner | Unparsed`` so type checkers make every reader
    handle the marker. A good value is parsed by pydantic-core alone (``inner`` first in a
    left-to-right union); only a bad one reaches Python, to become the marker, so a page of
    a hundred records costs no Python call per tolerant field."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self._parser: TypeAdapter[Any] | None = None

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        inner = handler.generate_schema(self.inner)
        return core_schema.union_schema(
            [inner, core_schema.no_info_plain_validator_function(self._mark)],
            mode="left_to_right",
            serialization=core_schema.wrap_serializer_function_ser_schema(
                _raw_or_serialise, schema=inner
            ),
        )

    def _mark(self, value: Any) -> Unparsed:
        """What ``inner`` refused, as a marker with the parser's reason (parsed once more,
        on this rare path, for the reason alone)."""
        if isinstance(value, Unparsed):  # a model copied from another model
            return value
        if self._parser is None:
            self._parser = TypeAdapter(self.inner)
        try:
            self._parser.validate_python(value)
        except ValidationError as exc:
            problem = exc.errors(include_url=False)[0]["msg"] if exc.error_count() else str(exc)
            return Unparsed(raw=value, problem=problem)
        return Unparsed(raw=value, problem="not accepted from JSON")


def _raw_or_serialise(value: Any, serialise: core_schema.SerializerFunctionWrapHandler) -> Any:
    """An :class:`Unparsed` value is written back as the vendor sent it."""
    if isinstance(value, Unparsed):
        return value.raw
    return serialise(value)


LenientBool = Annotated[bool | Unparsed, Tolerant(bool)]
LenientInt = Annotated[int | Unparsed, Tolerant(int)]
LenientFloat = Annotated[float | Unparsed, Tolerant(float)]
LenientStr = Annotated[str | Unparsed, Tolerant(str)]

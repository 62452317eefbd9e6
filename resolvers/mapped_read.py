"""A read already issued, with its answer converted when it is awaited.

A resolver that wants several reads in flight at once (the loaders queue a load when it is
asked for) would otherwise wrap each in a coroutine and a task. :class:`MappedRead` is a
plain awaitable over the loader's future: no task, no coroutine, and one that is never
awaited (its caller was cancelled) leaves no "never awaited" warning behind.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Generator
from typing import Any, Generic, TypeVar

__all__ = ["MappedRead"]

T = TypeVar("T")
R = TypeVar("R")


class MappedRead(Generic[T, R]):
    """Awaits ``read`` (a future or any awaitable), then returns ``convert`` of its value."""

    __slots__ = ("_convert", "_read")

    def __init__(self, read: Awaitable[T], convert: Callable[[T], R]) -> None:
        self._read = read
        self._convert = convert

    def __await__(self) -> Generator[Any, None, R]:
        value = yield from self._read.__await__()
        return self._convert(value)

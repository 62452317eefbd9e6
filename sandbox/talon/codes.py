"""Coupon and referral code generation from a ``CodeGeneratorSettings``-like pattern."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence

DEFAULT_CHARACTERS = tuple("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
DEFAULT_PATTERN = "##########"  # 10 characters of [A-Z0-9] (docs/vendors/talon.md §5.15: 8 to 12)


class CodeSpaceExhaustedError(ValueError):
    """The pattern cannot produce another unused code."""


def generate_code(
    rng: random.Random,
    pattern: str | None,
    characters: Sequence[str] | None,
    *,
    taken: Callable[[str], bool],
    attempts: int = 200,
) -> str:
    """Each ``#`` of the pattern becomes a random valid character; retry on a collision."""
    pattern = pattern or DEFAULT_PATTERN
    chars = list(characters) if characters else list(DEFAULT_CHARACTERS)
    if "#" not in pattern:
        if taken(pattern):
            raise CodeSpaceExhaustedError(pattern)
        return pattern
    for _ in range(attempts):
        code = "".join(rng.choice(chars) if c == "#" else c for c in pattern)
        if not taken(code):
            return code
    raise CodeSpaceExhaustedError(pattern)

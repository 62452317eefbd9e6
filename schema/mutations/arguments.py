"""Arguments several mutations take, declared once so that they read the same in every
mutation's documentation."""

from __future__ import annotations

from typing import Annotated

import strawberry

__all__ = ["CustomerIdArg", "IdempotencyKeyArg"]

CustomerIdArg = Annotated[
    strawberry.ID, strawberry.argument(description="The customer's canonical id.")
]

IdempotencyKeyArg = Annotated[
    str,
    strawberry.argument(
        description="Your unique key for this change (e.g. a UUID). Retrying with the same key "
        "and input re-runs only the vendors that did not complete; the same key with another "
        "input is refused."
    ),
]

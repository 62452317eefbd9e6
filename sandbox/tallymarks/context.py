"""Per-request facts the request models need while they validate (set by the edge middleware).

Pydantic models are module-level, the options are per app: a context variable carries the
current app's options into the validators of the request being handled.
"""

from __future__ import annotations

from contextvars import ContextVar

from sandbox.tallymarks.options import TallymarksSandboxOptions

_DEFAULTS = TallymarksSandboxOptions()  # frozen model: safe to share as the default

current_options: ContextVar[TallymarksSandboxOptions] = ContextVar(
    "tallymarks_options", default=_DEFAULTS
)

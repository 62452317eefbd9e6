"""Tallymarks sandbox: the loyalty vendor's Customer API and Event API, simulated."""

from sandbox.tallymarks.app import create_app
from sandbox.tallymarks.options import TallymarksSandboxOptions

__all__ = ["TallymarksSandboxOptions", "create_app"]

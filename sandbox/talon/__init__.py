"""Talon.One Integration API sandbox (v2 of 2022 plus the legacy v1 endpoints)."""

from sandbox.talon.app import create_app
from sandbox.talon.options import TalonSandboxOptions

__all__ = ["TalonSandboxOptions", "create_app"]

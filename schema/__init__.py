"""Strawberry types by domain (the unified-schema issue fills this in)."""

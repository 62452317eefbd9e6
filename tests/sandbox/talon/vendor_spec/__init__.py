"""Talon.One's public 2022 OpenAPI spec, cut to the operations the sandbox serves."""

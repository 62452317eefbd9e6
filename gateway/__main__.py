"""``python -m gateway`` serves the gateway; ``python -m gateway schema`` prints the SDL;
``python -m gateway manifest`` writes the examples' trusted-documents manifest;
``python -m gateway config`` prints the effective configuration, secrets redacted.

A configuration mistake (a bad value, an unknown ``CG_*`` variable, an API key for a
tenant that is not configured, no tenant at all for ``serve``) is one line each on stderr
and exit status 2 (:mod:`gateway.config_errors`). Every command refuses an unknown ``CG_*``
variable, those that read no setting (``schema``, ``manifest``) included.

``serve`` needs tenants (``CG_TENANTS`` / ``CG_TENANTS_FILE``) and refuses to start without
them; the gateway on the vendor sandboxes with demo data is ``make run`` (``python -m demo``).
Workers and graceful shutdown: :mod:`gateway.serving`.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import TYPE_CHECKING

from gateway.command_line import (
    add_serve_command,
    add_token_command,
    serve_address,
    write_token,
)
from gateway.config_errors import (
    cross_check,
    effective_config,
    explained,
    refuse_unknown_variables,
)
from gateway.settings import GatewaySettings, TenantConfig

if TYPE_CHECKING:
    from gateway.serving import ServingSettings


def _parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m gateway", description=__doc__)
    sub = parser.add_subparsers(dest="command")
    add_serve_command(sub, "serve the gateway (the default)")
    sub.add_parser("schema", help="print the schema (SDL)")
    sub.add_parser("config", help="print the effective configuration (secrets redacted)")
    manifest = sub.add_parser(
        "manifest", help="write the playground examples' trusted-documents manifest"
    )
    manifest.add_argument("--output", "-o", default="-", help="a file (default: stdout)")
    add_token_command(sub, "print a bearer token signed with CG_JWT__SECRET")
    return parser.parse_args(argv)


def print_schema() -> None:
    from schema import build_schema

    sys.stdout.write(build_schema().as_str() + "\n")


def write_manifest(output: str) -> None:
    """The playground's example operations as a manifest for ``CG_TRUSTED_DOCUMENTS_FILE``."""
    import json
    from pathlib import Path

    from gateway.persisted.trusted_documents import build_manifest
    from gateway.playground.page import example_operations

    manifest = build_manifest(text for _, text in example_operations())
    text = json.dumps(manifest, indent=2) + "\n"
    if output == "-":
        sys.stdout.write(text)
    else:
        Path(output).write_text(text, encoding="utf-8")


def print_token(args: argparse.Namespace, settings: GatewaySettings) -> None:
    """A token for trying bearer auth, signed with ``CG_JWT__SECRET`` (the demo's own
    tokens: ``python -m demo token``)."""
    if settings.jwt.secret is None:
        raise SystemExit(
            "set CG_JWT__SECRET to the gateway's signing secret (for the demo started by"
            " make run: python -m demo token, with the same CG_DEMO_SEED)"
        )
    write_token(args, settings.jwt)


def refuse_unknown() -> None:
    """An unknown ``CG_*`` variable refused (exit 2), whichever command reads it."""
    from gateway.serving import ServingSettings

    refuse_unknown_variables([GatewaySettings, ServingSettings], os.environ)


def read_settings() -> tuple[GatewaySettings, ServingSettings, dict[str, TenantConfig]]:
    """The settings, refused (one line each, exit 2) when something in them is wrong
    (unknown variables were refused before: :func:`refuse_unknown`)."""
    from gateway.serving import ServingSettings

    with explained():
        settings, serving = GatewaySettings(), ServingSettings()
        tenants = cross_check(settings)
    return settings, serving, tenants


def print_config() -> None:
    settings, serving, tenants = read_settings()
    document = effective_config(settings, serving, tenants=tenants)
    sys.stdout.write(json.dumps(document, indent=2, sort_keys=True) + "\n")


def main(argv: list[str] | None = None) -> None:
    args = _parse_args(sys.argv[1:] if argv is None else argv)
    refuse_unknown()
    if args.command == "schema":
        print_schema()
        return
    if args.command == "manifest":
        write_manifest(args.output)
        return
    if args.command == "config":
        print_config()
        return
    settings, serving, _ = read_settings()
    if args.command == "token":
        print_token(args, settings)
        return
    from gateway.serving import refuse_without_tenants, serve

    refuse_without_tenants(settings)
    serve(settings, serving, *serve_address(args, settings))


if __name__ == "__main__":
    main()

"""``python -m gateway`` serves the gateway; ``python -m gateway schema`` prints the SDL;
``python -m gateway manifest`` writes the examples' trusted-documents manifest.

With no vendor configured (no ``CG_TENANTS`` / ``CG_TENANTS_FILE``), the three vendor
sandboxes start in the same process on loopback, with demo data, and the gateway is
configured for them; ``serve --no-sandboxes`` (containers) refuses to start instead.
Workers and graceful shutdown: :mod:`gateway.serving`.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from gateway.settings import GatewaySettings

if TYPE_CHECKING:
    from gateway.auth import JwtSettings


def _parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m gateway", description=__doc__)
    sub = parser.add_subparsers(dest="command")
    serve = sub.add_parser("serve", help="serve the gateway (the default)")
    serve.add_argument("--host", default=None)
    serve.add_argument("--port", type=int, default=None)
    serve.add_argument(
        "--no-sandboxes",
        action="store_true",
        help="never start the embedded sandboxes: refuse to start without tenants (containers)",
    )
    sub.add_parser("schema", help="print the schema (SDL)")
    manifest = sub.add_parser(
        "manifest", help="write the playground examples' trusted-documents manifest"
    )
    manifest.add_argument("--output", "-o", default="-", help="a file (default: stdout)")
    token = sub.add_parser("token", help="print a bearer token signed with CG_JWT__SECRET")
    token.add_argument("--tenant", required=True)
    token.add_argument("--scope", action="append", help="repeat; default: every scope")
    token.add_argument("--ttl", type=int, default=3600, help="seconds (default 3600)")
    token.add_argument("--subject", default="demo")
    return parser.parse_args(argv)


def print_schema() -> None:
    from schema import build_schema

    sys.stdout.write(build_schema().as_str() + "\n")


def write_manifest(output: str) -> None:
    """The playground's example operations as a manifest for ``CG_TRUSTED_DOCUMENTS_FILE``."""
    import json
    from pathlib import Path

    from gateway.persisted import build_manifest
    from gateway.playground.page import example_operations

    manifest = build_manifest(text for _, text in example_operations())
    text = json.dumps(manifest, indent=2) + "\n"
    if output == "-":
        sys.stdout.write(text)
    else:
        Path(output).write_text(text, encoding="utf-8")


def print_token(args: argparse.Namespace, settings: GatewaySettings) -> None:
    """A token for trying bearer auth: with ``CG_JWT__SECRET``, or the embedded demo's
    secret, which another shell can recompute only from the same ``CG_DEMO_SEED``."""
    from gateway.auth import Scope
    from gateway.auth.demo_tokens import mint_token

    jwt = settings.jwt
    if jwt.secret is None and settings.embedded:
        jwt = _demo_jwt_settings()
    scopes = [Scope(s) for s in args.scope] if args.scope else list(Scope)
    token = mint_token(jwt, args.tenant, scopes, subject=args.subject, ttl_seconds=args.ttl)
    sys.stdout.write(token + "\n")


def _demo_jwt_settings() -> JwtSettings:
    from gateway.demo_secrets import DemoSecrets
    from gateway.embedded import demo_jwt_settings
    from gateway.serving import ServingSettings
    from sandbox.demo_world import demo_world_from_env

    seed = ServingSettings().demo_seed
    if seed is None:
        raise SystemExit(
            "the embedded demo's signing secret is random on every run: use a bearer token the"
            " gateway printed at start, or start the gateway and this command with the same"
            " CG_DEMO_SEED (or CG_JWT__SECRET)"
        )
    tenants = [t.key for t in demo_world_from_env().tenants]
    return demo_jwt_settings(DemoSecrets.generate(tenants, seed))


def main(argv: list[str] | None = None) -> None:
    args = _parse_args(sys.argv[1:] if argv is None else argv)
    if args.command == "schema":
        print_schema()
        return
    if args.command == "manifest":
        write_manifest(args.output)
        return
    if args.command == "token":
        print_token(args, GatewaySettings())
        return
    from gateway.serving import ServingSettings, serve

    settings = GatewaySettings()
    host = getattr(args, "host", None) or settings.host
    port = getattr(args, "port", None) or settings.port
    sandboxes = not getattr(args, "no_sandboxes", False)
    serve(settings, ServingSettings(), host, port, sandboxes=sandboxes)


if __name__ == "__main__":
    main()

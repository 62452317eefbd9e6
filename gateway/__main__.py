"""``python -m gateway`` serves the gateway; ``python -m gateway schema`` prints the SDL;
``python -m gateway manifest`` writes the examples' trusted-documents manifest.

With no vendor configured (no ``CG_TENANTS`` / ``CG_TENANTS_FILE``), the three vendor
sandboxes start in the same process on loopback, with demo data, and the gateway is
configured for them.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys

import uvicorn

from gateway.settings import GatewaySettings


def _parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m gateway", description=__doc__)
    sub = parser.add_subparsers(dest="command")
    serve = sub.add_parser("serve", help="serve the gateway (the default)")
    serve.add_argument("--host", default=None)
    serve.add_argument("--port", type=int, default=None)
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
    """A token for trying bearer auth: with ``CG_JWT__SECRET``, or the embedded demo's."""
    from gateway.auth import Scope
    from gateway.auth.demo_tokens import mint_token
    from gateway.embedded import demo_jwt_settings
    from sandbox.demo_world import demo_world_from_env

    jwt = settings.jwt
    if jwt.secret is None and settings.embedded:
        jwt = demo_jwt_settings(demo_world_from_env())
    scopes = [Scope(s) for s in args.scope] if args.scope else list(Scope)
    token = mint_token(jwt, args.tenant, scopes, subject=args.subject, ttl_seconds=args.ttl)
    sys.stdout.write(token + "\n")


async def serve(settings: GatewaySettings, host: str, port: int) -> None:
    from gateway.app import create_app

    servers: list[uvicorn.Server] = []
    if settings.embedded:
        from gateway.embedded import (
            SandboxUrls,
            demo_api_keys,
            demo_auth_lines,
            demo_jwt_settings,
            demo_read_only_keys,
            demo_tenants,
        )
        from sandbox.__main__ import DEFAULT_PORTS
        from sandbox.demo_world import demo_world_from_env
        from sandbox.registry import VENDOR_APPS

        world = demo_world_from_env()
        if not settings.jwt.enabled:
            settings = settings.model_copy(update={"jwt": demo_jwt_settings(world)})
        sandbox_host = os.environ.get("SANDBOX_HOST", "127.0.0.1")
        ports = {
            v: int(os.environ.get(f"SANDBOX_{v.upper()}_PORT", p)) for v, p in DEFAULT_PORTS.items()
        }
        urls = SandboxUrls(**{v: f"http://{sandbox_host}:{p}" for v, p in ports.items()})
        for vendor, vendor_port in ports.items():
            config = uvicorn.Config(
                VENDOR_APPS[vendor](world), host=sandbox_host, port=vendor_port, log_level="warning"
            )
            servers.append(uvicorn.Server(config))
        keys = demo_api_keys(world)
        first_key = next(iter(keys))
        app = create_app(
            settings,
            tenants=demo_tenants(world, urls),
            api_keys={**keys, **demo_read_only_keys(world)},
            playground_headers={"X-API-Key": first_key},
            playground_variables={
                "customerId": world.tenants[0].customers[0].customer_id,
                "sessionId": "demo-cart-1",
                "key": "demo-update-1",
                "search": "de Vries",
            },
        )
        print(f"Customer Graph on the embedded vendor sandboxes (seed {world.seed})")
        for vendor, url in vars(urls).items():
            print(f"  sandbox {vendor:<11} {url}/docs")
        print(f"  playground  http://{host}:{port}/graphql")
        for key, tenant in keys.items():
            print(f"  demo API key for tenant {tenant!r}: {key}  (header X-API-Key)")
        print("\n".join(demo_auth_lines(world, settings.jwt)))
        sample = world.tenants[0].customers[0].customer_id
        print(f'  e.g. query {{ customer(id: "{sample}") {{ displayName email }} }}', flush=True)
    else:
        app = create_app(settings)
        print(f"Customer Graph on http://{host}:{port}/graphql", flush=True)
    gateway = uvicorn.Server(
        uvicorn.Config(app, host=host, port=port, log_level="info", access_log=False)
    )
    await asyncio.gather(*(s.serve() for s in [*servers, gateway]))


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
    settings = GatewaySettings()
    host = getattr(args, "host", None) or settings.host
    port = getattr(args, "port", None) or settings.port
    asyncio.run(serve(settings, host, port))


if __name__ == "__main__":
    main()

"""``python -m gateway`` serves the gateway; ``python -m gateway schema`` prints the SDL.

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
    return parser.parse_args(argv)


def print_schema() -> None:
    from schema import build_schema

    sys.stdout.write(build_schema().as_str() + "\n")


async def serve(settings: GatewaySettings, host: str, port: int) -> None:
    from gateway.app import create_app

    servers: list[uvicorn.Server] = []
    if settings.embedded:
        from gateway.embedded import SandboxUrls, demo_api_keys, demo_tenants
        from sandbox.__main__ import DEFAULT_PORTS
        from sandbox.demo_world import demo_world_from_env
        from sandbox.registry import VENDOR_APPS

        world = demo_world_from_env()
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
            api_keys=keys,
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
        sample = world.tenants[0].customers[0].customer_id
        print(f'  e.g. query {{ customer(id: "{sample}") {{ displayName email }} }}', flush=True)
    else:
        app = create_app(settings)
        print(f"Customer Graph on http://{host}:{port}/graphql", flush=True)
    gateway = uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="info"))
    await asyncio.gather(*(s.serve() for s in [*servers, gateway]))


def main(argv: list[str] | None = None) -> None:
    args = _parse_args(sys.argv[1:] if argv is None else argv)
    if args.command == "schema":
        print_schema()
        return
    settings = GatewaySettings()
    host = getattr(args, "host", None) or settings.host
    port = getattr(args, "port", None) or settings.port
    asyncio.run(serve(settings, host, port))


if __name__ == "__main__":
    main()

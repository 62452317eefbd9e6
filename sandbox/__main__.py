"""Serve the three vendor sandboxes on loopback: ``python -m sandbox``.

Each sandbox is its own FastAPI app on its own port, with OpenAPI docs at ``/docs`` and the
admin routes (faults, counters) at ``/_sandbox``. The demo credentials are printed at start.
"""

from __future__ import annotations

import argparse
import asyncio
import os

import uvicorn

from sandbox.demo_world import DemoWorld, demo_world_from_env
from sandbox.registry import VENDOR_APPS

DEFAULT_PORTS = {"tallymarks": 8101, "omnidesk": 8102, "talon": 8103}


def _parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m sandbox", description=__doc__)
    parser.add_argument("--host", default=os.environ.get("SANDBOX_HOST", "127.0.0.1"))
    for vendor, port in DEFAULT_PORTS.items():
        env = f"SANDBOX_{vendor.upper()}_PORT"
        parser.add_argument(f"--{vendor}-port", type=int, default=int(os.environ.get(env, port)))
    parser.add_argument("--log-level", default=os.environ.get("SANDBOX_LOG_LEVEL", "warning"))
    parser.add_argument(
        "--vendor",
        action="append",
        choices=list(DEFAULT_PORTS),
        help="serve only this vendor (repeatable; default: all three), e.g. one process each",
    )
    return parser.parse_args()


def describe(world: DemoWorld, host: str, ports: dict[str, int]) -> str:
    lines = [f"Customer Graph vendor sandboxes (seed {world.seed})"]
    for vendor, port in ports.items():
        lines.append(f"  {vendor:<11} http://{host}:{port}   docs: http://{host}:{port}/docs")
    for t in world.tenants:
        sample = t.customers[0]
        lines += [
            f"  tenant {t.key!r} ({t.name}), {len(t.customers)} customers,"
            f" e.g. customerId {sample.customer_id}",
            f"    tallymarks  x-tenant-id: {t.tallymarks_tenant_id}",
            f"                x-api-key: {t.tallymarks_api_key}",
            f"                x-api-secret: {t.tallymarks_api_secret}",
            f"    omnidesk    apiKey: {t.omnidesk_api_key}  (brand_id {t.omnidesk_brand_id})",
            f"    talon       Authorization: ApiKey-v1 {t.talon_api_key}",
        ]
    return "\n".join(lines)


async def serve(host: str, ports: dict[str, int], log_level: str) -> None:
    world = demo_world_from_env()
    servers = [
        uvicorn.Server(
            uvicorn.Config(VENDOR_APPS[v](world), host=host, port=p, log_level=log_level)
        )
        for v, p in ports.items()
    ]
    print(describe(world, host, ports), flush=True)
    await asyncio.gather(*(s.serve() for s in servers))


def main() -> None:
    args = _parse_args()
    vendors = args.vendor or list(DEFAULT_PORTS)
    ports = {v: getattr(args, f"{v}_port") for v in DEFAULT_PORTS if v in vendors}
    asyncio.run(serve(args.host, ports, args.log_level))


if __name__ == "__main__":
    main()

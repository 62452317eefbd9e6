"""``python -m demo`` (``make run``): the three vendor sandboxes on loopback with demo data,
and the gateway configured for them; ``python -m demo token`` prints a bearer token the
demo accepts. Everything else is ``python -m gateway`` (which never starts the sandboxes).

Configuration mistakes are refused as ``python -m gateway`` refuses them (one line each,
exit status 2), the demo's own settings (``CG_DEMO_SEED``) known besides the gateway's.
"""

from __future__ import annotations

import argparse
import os
import sys

from pydantic import BaseModel

from demo.serving import DemoRun, DemoSettings, serve_demo
from demo.tenants import demo_jwt_settings
from gateway.command_line import (
    add_serve_command,
    add_token_command,
    serve_address,
    write_token,
)
from gateway.config_errors import explained, refuse_unknown_variables
from gateway.serving import ServingSettings
from gateway.settings import GatewaySettings


def _parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m demo", description=__doc__)
    sub = parser.add_subparsers(dest="command")
    add_serve_command(sub, "serve the sandboxes and the gateway (the default)")
    add_token_command(sub, "print a bearer token the demo accepts")
    return parser.parse_args(argv)


def print_token(args: argparse.Namespace, settings: GatewaySettings, demo: DemoSettings) -> None:
    """Signed with ``CG_JWT__SECRET``, or the demo's secret, which another shell can
    recompute only from the same ``CG_DEMO_SEED``."""
    jwt = settings.jwt
    if jwt.secret is None:
        if demo.demo_seed is None:
            raise SystemExit(
                "the demo's signing secret is random on every run: use a bearer token"
                " make run printed at start, or start it and this command with the same"
                " CG_DEMO_SEED (or CG_JWT__SECRET)"
            )
        jwt = demo_jwt_settings(DemoRun.from_env(demo).secrets)
    write_token(args, jwt)


def main(argv: list[str] | None = None) -> None:
    args = _parse_args(sys.argv[1:] if argv is None else argv)
    models: list[type[BaseModel]] = [GatewaySettings, ServingSettings, DemoSettings]
    refuse_unknown_variables(models, os.environ, also_known=())
    with explained():
        settings, serving, demo = GatewaySettings(), ServingSettings(), DemoSettings()
    if args.command == "token":
        print_token(args, settings, demo)
        return
    serve_demo(settings, serving, demo, *serve_address(args, settings))


if __name__ == "__main__":
    main()

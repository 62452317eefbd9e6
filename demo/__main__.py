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
from gateway.config_errors import ConfigError, environment_names, explained, unknown_variables
from gateway.serving import ServingSettings
from gateway.settings import GatewaySettings


def _parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m demo", description=__doc__)
    sub = parser.add_subparsers(dest="command")
    serve = sub.add_parser("serve", help="serve the sandboxes and the gateway (the default)")
    serve.add_argument("--host", default=None)
    serve.add_argument("--port", type=int, default=None)
    token = sub.add_parser("token", help="print a bearer token the demo accepts")
    token.add_argument("--tenant", required=True)
    token.add_argument("--scope", action="append", help="repeat; default: every scope")
    token.add_argument("--ttl", type=int, default=3600, help="seconds (default 3600)")
    token.add_argument("--subject", default="demo")
    return parser.parse_args(argv)


def print_token(args: argparse.Namespace, settings: GatewaySettings, demo: DemoSettings) -> None:
    """Signed with ``CG_JWT__SECRET``, or the demo's secret, which another shell can
    recompute only from the same ``CG_DEMO_SEED``."""
    from gateway.auth import Scope
    from gateway.auth.demo_tokens import mint_token

    jwt = settings.jwt
    if jwt.secret is None:
        if demo.demo_seed is None:
            raise SystemExit(
                "the demo's signing secret is random on every run: use a bearer token"
                " make run printed at start, or start it and this command with the same"
                " CG_DEMO_SEED (or CG_JWT__SECRET)"
            )
        jwt = demo_jwt_settings(DemoRun.from_env(demo).secrets)
    known = [s.value for s in Scope]
    unknown = [s for s in args.scope or () if s not in known]
    if unknown:
        raise SystemExit(f"unknown scope {unknown[0]!r}; scopes: {', '.join(known)}")
    scopes = [Scope(s) for s in args.scope] if args.scope else list(Scope)
    token = mint_token(jwt, args.tenant, scopes, subject=args.subject, ttl_seconds=args.ttl)
    sys.stdout.write(token + "\n")


def main(argv: list[str] | None = None) -> None:
    args = _parse_args(sys.argv[1:] if argv is None else argv)
    with explained():
        models: list[type[BaseModel]] = [GatewaySettings, ServingSettings, DemoSettings]
        unknown = unknown_variables(models, environment_names(os.environ), also_known=())
        if unknown:
            raise ConfigError(unknown)
        settings, serving, demo = GatewaySettings(), ServingSettings(), DemoSettings()
    if args.command == "token":
        print_token(args, settings, demo)
        return
    host = getattr(args, "host", None) or settings.host
    port = getattr(args, "port", None) or settings.port
    serve_demo(settings, serving, demo, host, port)


if __name__ == "__main__":
    main()

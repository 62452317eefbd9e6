"""The sub-commands ``python -m gateway`` and ``python -m demo`` both offer: ``serve`` (host
and port over the settings') and ``token`` (a bearer token to try the API with). Declared
and run here once, so the two entry points take the same options and refuse the same way.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gateway.auth.jwt_settings import JwtSettings
    from gateway.settings import GatewaySettings

__all__ = ["add_serve_command", "add_token_command", "serve_address", "write_token"]

Commands = argparse._SubParsersAction  # argparse names no public type for it


def add_serve_command(sub: Commands[argparse.ArgumentParser], help: str) -> None:
    serve = sub.add_parser("serve", help=help)
    serve.add_argument("--host", default=None)
    serve.add_argument("--port", type=int, default=None)


def add_token_command(sub: Commands[argparse.ArgumentParser], help: str) -> None:
    token = sub.add_parser("token", help=help)
    token.add_argument("--tenant", required=True)
    token.add_argument("--scope", action="append", help="repeat; default: every scope")
    token.add_argument("--ttl", type=int, default=3600, help="seconds (default 3600)")
    token.add_argument("--subject", default="demo")


def serve_address(args: argparse.Namespace, settings: GatewaySettings) -> tuple[str, int]:
    """``--host``/``--port`` when given (``serve`` is also the default, without them)."""
    host = getattr(args, "host", None) or settings.host
    port = getattr(args, "port", None) or settings.port
    return host, port


def write_token(args: argparse.Namespace, jwt: JwtSettings) -> None:
    """A token signed with ``jwt``'s secret, on stdout; an unknown ``--scope`` is refused
    with the list of scopes rather than a traceback."""
    from gateway.auth.demo_tokens import mint_token
    from gateway.auth.scopes import Scope

    known = [s.value for s in Scope]
    unknown = [s for s in args.scope or () if s not in known]
    if unknown:
        raise SystemExit(f"unknown scope {unknown[0]!r}; scopes: {', '.join(known)}")
    scopes = [Scope(s) for s in args.scope] if args.scope else list(Scope)
    token = mint_token(jwt, args.tenant, scopes, subject=args.subject, ttl_seconds=args.ttl)
    sys.stdout.write(token + "\n")

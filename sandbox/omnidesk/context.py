"""Per-request context for the customer routes: the caller's account rules and its fields."""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import Depends, Request

from sandbox.omnidesk.auth import cud_access, read_access
from sandbox.omnidesk.forms import read_params
from sandbox.omnidesk.options import OmnideskSandboxOptions
from sandbox.omnidesk.rules import AccountRules
from sandbox.omnidesk.store import Account, OmnideskStore
from sandbox.omnidesk.validation import Params


@dataclass(frozen=True)
class Ctx:
    """What a route works with: the account's rules and the request's fields."""

    rules: AccountRules
    params: Params

    @property
    def options(self) -> OmnideskSandboxOptions:
        return self.rules.options

    @property
    def account(self) -> Account:
        return self.rules.account

    @property
    def store(self) -> OmnideskStore:
        return self.rules.store


async def _context(request: Request, account: Account) -> Ctx:
    store: OmnideskStore = request.app.state.store
    options: OmnideskSandboxOptions = request.app.state.options
    params = await read_params(request, options)
    return Ctx(AccountRules(store, account, options, request.app.state.clock), params)


async def read_ctx(request: Request, account: Account = Depends(read_access)) -> Ctx:
    """A CUSTOMER_READ endpoint's context (the key is checked before the body is read)."""
    return await _context(request, account)


async def cud_ctx(request: Request, account: Account = Depends(cud_access)) -> Ctx:
    """A CUSTOMER_CUD endpoint's context."""
    return await _context(request, account)

"""Configuration mistakes as one line each, naming the variable, what is wrong and, for a
JSON value, where in it; then exit code 2, without a traceback.

The entry points (``python -m gateway``, ``python -m demo``) read their settings inside
:func:`explained`. Besides what the settings models refuse, :func:`unknown_variables`
refuses a ``CG_*`` variable no model reads (a typo would otherwise be silently ignored),
with a did-you-mean; the known names are derived from the models themselves, nested
``__`` names included, so a new setting is known without a list to keep up to date.
:func:`cross_check` refuses what each value allows but the whole does not (an API key for
a tenant that is not configured). The lines never carry a credential's value.
"""

from __future__ import annotations

import difflib
import json
import os
import sys
import types
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, NoReturn, Union, get_args, get_origin

from pydantic import BaseModel, SecretStr, ValidationError
from pydantic_settings import SettingsError

from gateway.settings import GatewaySettings, TenantConfig

__all__ = [
    "EXIT_CONFIG",
    "ConfigError",
    "cross_check",
    "effective_config",
    "explained",
    "refuse",
    "refuse_unknown_variables",
    "unknown_variables",
]

#: the exit status of a refused configuration (argparse's, for a usage error)
EXIT_CONFIG = 2
PREFIX = "CG_"
NESTED = "__"
REDACTED = "**********"
#: read by ``python -m demo``; a shell that runs both entry points is not refused for it
OTHER_ENTRY_POINTS = frozenset({"CG_DEMO_SEED"})
#: a value with one of these in its variable's name is never echoed back
_SENSITIVE = ("SECRET", "KEY", "TOKEN", "PASSWORD", "HEADERS", "TENANTS", "URL")


class ConfigError(Exception):
    """A configuration refused for a reason of its own: one line per problem."""

    def __init__(self, lines: Sequence[str]) -> None:
        super().__init__("; ".join(lines))
        self.lines = list(lines)


@contextmanager
def explained(environ: Mapping[str, str] | None = None) -> Iterator[None]:
    """Turn a configuration mistake raised inside into its lines on stderr and exit 2."""
    env = os.environ if environ is None else environ
    try:
        yield
    except ConfigError as error:
        refuse(error.lines)
    except ValidationError as error:
        refuse(validation_lines(error, env))
    except SettingsError as error:  # a JSON value that does not parse
        refuse([settings_error_line(error)])


def refuse(lines: Iterable[str]) -> NoReturn:
    """Each line on stderr, then exit 2: every refusal of every entry point looks alike."""
    for line in lines:
        print(f"Customer Graph: configuration error: {line}", file=sys.stderr, flush=True)
    raise SystemExit(EXIT_CONFIG)


def validation_lines(error: ValidationError, environ: Mapping[str, str]) -> list[str]:
    """One line per variable with refused values: the variable that carried them and what
    is wrong, at which path inside a JSON value."""
    found: dict[str, list[str]] = {}
    for problem in error.errors(include_url=False):
        loc = [str(part) for part in problem["loc"]]
        variable, inside = _variable_for(loc, environ)
        message = problem["msg"].removeprefix("Value error, ")
        found.setdefault(variable, []).append(f"{_at(inside)}{message}")
    lines = []
    for variable, problems in found.items():
        value = environ.get(variable)
        shown = ""
        if value is not None and len(value) <= 80 and not any(w in variable for w in _SENSITIVE):
            shown = f"={value!r}"
        lines.append(f"{variable}{shown}: {'; '.join(problems)}")
    return lines


def _variable_for(loc: list[str], environ: Mapping[str, str]) -> tuple[str, list[str]]:
    """The longest ``CG_A__B`` set in the environment that ``loc`` starts with."""
    for end in range(len(loc), 0, -1):
        name = PREFIX + NESTED.join(loc[:end]).upper()
        if name in environ:
            return name, loc[end:]
    return PREFIX + loc[0].upper() if loc else PREFIX, loc[1:]


def settings_error_line(error: SettingsError) -> str:
    """pydantic-settings' "error parsing value for field …": the variable and, when the
    value is not JSON, the line and column."""
    text = str(error)
    field = text.split('field "', 1)[1].split('"', 1)[0] if 'field "' in text else ""
    variable = PREFIX + field.upper() if field else "a CG_ variable"
    cause = error.__cause__
    if isinstance(cause, json.JSONDecodeError):
        where = f"line {cause.lineno} column {cause.colno}"
        return f"{variable} is not valid JSON: {cause.msg} at {where}"
    return f"{variable}: {cause or text}"


# --- unknown variables ---------------------------------------------------------------


def unknown_variables(
    models: Sequence[type[BaseModel]],
    names: Iterable[str],
    *,
    also_known: Iterable[str] = OTHER_ENTRY_POINTS,
) -> list[str]:
    """A line for each ``CG_*`` name in ``names`` no model reads, with a did-you-mean."""
    extra = set(also_known)
    fields = {k: v.annotation for m in reversed(models) for k, v in m.model_fields.items()}
    lines = []
    for name in sorted(names):
        if not name.startswith(PREFIX) or name in extra:
            continue
        path = name.removeprefix(PREFIX).lower().split(NESTED)
        guess = _closest(fields, path) or _closest_split(fields, path)
        if guess == path:
            continue
        hint = f"; did you mean {PREFIX}{NESTED.join(guess).upper()}?" if guess else ""
        lines.append(f"{name} is not a setting{hint}")
    return lines


def refuse_unknown_variables(
    models: Sequence[type[BaseModel]],
    environ: Mapping[str, str] | None = None,
    *,
    also_known: Iterable[str] = OTHER_ENTRY_POINTS,
) -> None:
    """Refuse (exit 2) when the environment or ``.env`` names a ``CG_*`` variable no model
    reads: for every command, even one that reads no setting, so a typo never goes unseen."""
    env = os.environ if environ is None else environ
    unknown = unknown_variables(models, environment_names(env), also_known=also_known)
    if unknown:
        refuse(unknown)


def _closest(fields: Mapping[str, Any], path: list[str]) -> list[str] | None:
    """``path`` itself when the fields read it, else the nearest path they read (each
    segment the same or a close spelling of it), else None."""
    head, rest = path[0], path[1:]
    close = difflib.get_close_matches(head, list(fields), n=3, cutoff=0.75)
    for candidate in ([head] if head in fields else []) + [c for c in close if c != head]:
        tail = _closest_in(fields[candidate], rest)
        if tail is not None:
            return [candidate, *tail]
    return None


def _closest_split(fields: Mapping[str, Any], path: list[str]) -> list[str] | None:
    """``CG_JWT_SECRET`` for ``CG_JWT__SECRET``: a nested name written with one ``_``."""
    head = path[0]
    for at in (i for i, char in enumerate(head) if char == "_"):
        guess = _closest(fields, [head[:at], head[at + 1 :], *path[1:]])
        if guess is not None:
            return guess
    return None


def _closest_in(annotation: Any, rest: list[str]) -> list[str] | None:
    """The nearest nested path a field of this type reads (``[]`` for the field itself)."""
    if not rest:
        return []
    origin = get_origin(annotation)
    if origin is Annotated:
        return _closest_in(get_args(annotation)[0], rest)
    if origin in (Union, types.UnionType):
        found = (_closest_in(arg, rest) for arg in get_args(annotation))
        return min((f for f in found if f is not None), key=lambda f: f != rest, default=None)
    if origin is dict:  # any key, then the value's type (CG_HTTP__TALON__READ_TIMEOUT)
        tail = _closest_in(get_args(annotation)[1], rest[1:])
        return None if tail is None else [rest[0], *tail]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        nested = {k: v.annotation for k, v in annotation.model_fields.items()}
        return _closest(nested, rest)
    return None


def environment_names(environ: Mapping[str, str], env_file: Path = Path(".env")) -> set[str]:
    """The names the settings read: the environment's and the ``.env`` file's."""
    names = set(environ)
    if env_file.is_file():
        from dotenv import dotenv_values

        names |= set(dotenv_values(env_file))
    return names


# --- cross-checks ----------------------------------------------------------------------


def configured_tenants(settings: GatewaySettings) -> dict[str, TenantConfig]:
    """:meth:`GatewaySettings.all_tenants`, its file's mistakes as configuration errors."""
    path = settings.tenants_file
    try:
        return settings.all_tenants()
    except FileNotFoundError:
        raise ConfigError([f"CG_TENANTS_FILE: no such file: {path}"]) from None
    except OSError as error:  # a directory, no permission
        raise ConfigError([f"CG_TENANTS_FILE: cannot read {path}: {error.strerror}"]) from None
    except json.JSONDecodeError as error:
        raise ConfigError(
            [
                f"CG_TENANTS_FILE ({path}) is not valid JSON: {error.msg}"
                f" at line {error.lineno} column {error.colno}"
            ]
        ) from None
    except ValidationError as error:
        problems = [
            f"{_at(problem['loc'])}{problem['msg']}" for problem in error.errors(include_url=False)
        ]
        raise ConfigError([f"CG_TENANTS_FILE ({path}): {'; '.join(problems)}"]) from None


def _at(loc: Sequence[int | str]) -> str:
    return f"at {'.'.join(str(part) for part in loc)}: " if loc else ""


def cross_check(settings: GatewaySettings) -> dict[str, TenantConfig]:
    """What each value allows but the whole does not; returns the tenants it read."""
    tenants = configured_tenants(settings)
    lines = []
    for number, grant in enumerate(settings.api_keys.values(), start=1):
        tenant = grant if isinstance(grant, str) else grant.tenant
        if tenant not in tenants:
            known = ", ".join(sorted(tenants)) or "none"
            lines.append(
                f"CG_API_KEYS: key #{number} names tenant {tenant!r}, which is not"
                f" configured (tenants: {known})"
            )
    if lines:
        raise ConfigError(lines)
    return tenants


# --- the effective configuration -------------------------------------------------------


def effective_config(
    settings: GatewaySettings, *others: BaseModel, tenants: Mapping[str, TenantConfig]
) -> dict[str, Any]:
    """The settings as the gateway uses them, secrets shown as ``**********`` (an API key
    is a secret too: the keys are listed by number with what they grant)."""
    document = settings.model_dump(mode="json", exclude={"api_keys", "tenants"})
    document["tenants"] = {k: t.model_dump(mode="json") for k, t in tenants.items()}
    document["api_keys"] = [
        {"key": REDACTED, **({"tenant": g} if isinstance(g, str) else g.model_dump(mode="json"))}
        for g in settings.api_keys.values()
    ]
    for other in others:
        document.update(other.model_dump(mode="json"))
    redacted: dict[str, Any] = _redacted(document)
    return redacted


def _redacted(value: Any) -> Any:
    """``model_dump(mode="json")`` already masks ``SecretStr``; this catches the rest."""
    if isinstance(value, SecretStr):
        return REDACTED
    if isinstance(value, dict):
        return {k: _redacted(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_redacted(v) for v in value]
    return value

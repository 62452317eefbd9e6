"""How cached vendor reads travel through Redis: JSON with the model's class named, never
pickle (a compromised cache must not be able to run code in the gateway). Only pydantic
models of the vendor layer may be rebuilt; anything else is refused on both ends."""

from __future__ import annotations

import importlib
import json
from typing import Any

from pydantic import BaseModel

__all__ = ["CodecError", "decode", "dumps", "encode", "loads"]

#: the only packages whose models a cached value may name
ALLOWED_PACKAGE = "vendors."


class CodecError(ValueError):
    """A value that cannot (or must not) cross the shared tier."""


def encode(value: object) -> Any:
    """A JSON-compatible form of ``value``; raises :class:`CodecError` for what can't go."""
    if value is None or isinstance(value, bool | int | float | str):
        return {"p": value}
    if isinstance(value, BaseModel):
        cls = type(value)
        if not cls.__module__.startswith(ALLOWED_PACKAGE):
            raise CodecError(f"{cls.__module__}.{cls.__qualname__} is not a vendor model")
        return {
            "m": f"{cls.__module__}:{cls.__qualname__}",
            "d": value.model_dump(mode="json", by_alias=True),
        }
    if isinstance(value, list | tuple):
        return {"l": [encode(v) for v in value]}
    raise CodecError(f"{type(value).__name__} values are not cached in the shared tier")


def decode(data: Any) -> object:
    if not isinstance(data, dict) or len(data) not in (1, 2):
        raise CodecError("not an encoded value")
    if "p" in data:
        value = data["p"]
        if value is not None and not isinstance(value, bool | int | float | str):
            raise CodecError("not a plain value")
        return value
    if "l" in data:
        items = data["l"]
        if not isinstance(items, list):
            raise CodecError("not a list")
        return [decode(v) for v in items]
    if "m" in data and "d" in data:
        return _model(data["m"]).model_validate(data["d"])
    raise CodecError("unknown value form")


def dumps(value: object) -> bytes:
    return json.dumps(encode(value), separators=(",", ":")).encode()


def loads(raw: bytes) -> object:
    return decode(json.loads(raw))


_models: dict[str, type[BaseModel]] = {}


def _model(name: object) -> type[BaseModel]:
    if not isinstance(name, str):
        raise CodecError("not a model name")
    found = _models.get(name)
    if found is not None:
        return found
    module_name, _, qualname = name.partition(":")
    if not module_name.startswith(ALLOWED_PACKAGE) or not qualname.isidentifier():
        raise CodecError(f"{name!r} is not a vendor model")
    try:
        cls = getattr(importlib.import_module(module_name), qualname)
    except (ImportError, AttributeError) as exc:
        raise CodecError(f"{name!r} is not a vendor model") from exc
    if not (isinstance(cls, type) and issubclass(cls, BaseModel)):
        raise CodecError(f"{name!r} is not a vendor model")
    _models[name] = cls
    return cls

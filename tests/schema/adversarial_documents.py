"""Generated adversarial requests: documents (and variables) built to make the gateway's
work before execution blow up, each at a size the request limits still let through.

Every request gets a fresh operation name, so no test answers from the parser or
validation cache a document an earlier test already paid for.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

_serial = itertools.count()

#: an id the sandboxes do not know: the existence check answers without further calls
MISSING_CUSTOMER = "00000000-0000-0000-0000-000000000000"


@dataclass(frozen=True)
class Adversarial:
    """One request: its document, variables and ``operationName``."""

    name: str
    query: str
    variables: dict[str, Any] = field(default_factory=dict)
    operation_name: str | None = None

    def body(self) -> dict[str, Any]:
        payload: dict[str, Any] = {"query": self.query, "variables": self.variables}
        if self.operation_name is not None:
            payload["operationName"] = self.operation_name
        return payload


def _op() -> str:
    return f"Adversarial{next(_serial)}"


def fragment_chain(levels: int) -> Adversarial:
    """``F{n}`` spreads ``F{n-1}`` twice: 2**levels selections from ~40 bytes a level."""
    fragments = ["fragment F0 on Query { __typename }"]
    fragments += [
        f"fragment F{i} on Query {{ ...F{i - 1} ...F{i - 1} }}" for i in range(1, levels + 1)
    ]
    query = f"query {_op()} {{ ...F{levels} }}\n" + "\n".join(fragments)
    return Adversarial(f"fragment chain, {levels} levels", query)


def customer_fragment_chain(levels: int) -> Adversarial:
    """The chain below ``customer``: what the prefetch planning and the cost walk see."""
    fragments = ["fragment C0 on Customer { email coupons { value } }"]
    fragments += [
        f"fragment C{i} on Customer {{ ...C{i - 1} ...C{i - 1} }}" for i in range(1, levels + 1)
    ]
    query = f'query {_op()} {{ customer(id: "{MISSING_CUSTOMER}") {{ ...C{levels} }} }}\n'
    return Adversarial(f"customer fragment chain, {levels} levels", query + "\n".join(fragments))


def wide_aliases(count: int) -> Adversarial:
    selections = " ".join(f"a{i}: __typename" for i in range(count))
    return Adversarial(f"{count} aliases", f"query {_op()} {{ {selections} }}")


def wide_same_field(count: int) -> Adversarial:
    """One field selected ``count`` times: field merging compares every pair."""
    return Adversarial(
        f"{count} times the same field", f"query {_op()} {{ {'__typename ' * count}}}"
    )


def deep_nesting(levels: int) -> Adversarial:
    """``coupons { reservedBy { coupons … } }``: a real cycle in the schema."""
    opening = "coupons { reservedBy { " * (levels // 2)
    closing = "} } " * (levels // 2)
    query = f'query {_op()} {{ customer(id: "{MISSING_CUSTOMER}") {{ {opening}id {closing}}} }}'
    return Adversarial(f"fields nested {levels} deep", query)


def deep_inline_fragments(levels: int) -> Adversarial:
    opening = "... on Query { " * levels
    return Adversarial(
        f"inline fragments nested {levels} deep",
        f"query {_op()} {{ {opening}__typename {'} ' * levels}}}",
    )


def many_directives(count: int) -> Adversarial:
    directives = " ".join("@include(if: true)" for _ in range(count))
    return Adversarial(
        f"{count} directives on one field", f"query {_op()} {{ __typename {directives} }}"
    )


def many_fragments(count: int) -> Adversarial:
    """``count`` distinct fragments, all spread in the operation."""
    spreads = " ".join(f"...F{i}" for i in range(count))
    fragments = "\n".join(f"fragment F{i} on Query {{ __typename }}" for i in range(count))
    return Adversarial(f"{count} fragments", f"query {_op()} {{ {spreads} }}\n{fragments}")


_FILTERED = (
    'query {op}($f: TransactionFilter) {{ customer(id: "{cid}") '
    "{{ transactions(filter: $f) {{ edges {{ cursor }} }} }} }}"
)


def wide_variables(keys: int) -> Adversarial:
    """An input object with ``keys`` fields its type does not define."""
    value = {"keyword": "x", **{f"k{i}": i for i in range(keys)}}
    query = _FILTERED.format(op=_op(), cid=MISSING_CUSTOMER)
    return Adversarial(f"input object with {keys} keys", query, {"f": value})


def deep_variables(levels: int) -> Adversarial:
    """An input object field holding JSON nested ``levels`` deep."""
    nested: Any = "x"
    for _ in range(levels):
        nested = {"a": nested}
    query = _FILTERED.format(op=_op(), cid=MISSING_CUSTOMER)
    return Adversarial(f"input object nested {levels} deep", query, {"f": {"keyword": nested}})


def many_operations(count: int, *, named: bool) -> Adversarial:
    operations = [f"query {_op()}Op{i} {{ __typename }}" for i in range(count)]
    chosen = operations[-1].split()[1] if named else None
    label = f"{count} operations, " + ("operationName given" if named else "no operationName")
    return Adversarial(label, "\n".join(operations), operation_name=chosen)


def long_string_argument(length: int) -> Adversarial:
    query = f'query {_op()} {{ __type(name: "{"x" * length}") {{ name }} }}'
    return Adversarial(f"{length // 1000} KB string argument", query)


#: the set the tests run: each far beyond one cap, yet within the token and body limits
#: (about 1,000 tokens at most: lexing and parsing alone cost ~10 µs of CPU a token,
#: and a loaded machine stretches that CPU into wall-clock time the loop cannot serve)
ADVERSARIAL: tuple[Callable[[], Adversarial], ...] = (
    lambda: fragment_chain(20),
    lambda: fragment_chain(25),
    lambda: fragment_chain(30),
    lambda: customer_fragment_chain(20),
    lambda: wide_aliases(300),
    lambda: wide_same_field(800),
    lambda: deep_nesting(400),
    lambda: deep_nesting(100),
    lambda: deep_inline_fragments(300),
    lambda: deep_inline_fragments(100),
    lambda: many_directives(150),
    lambda: many_fragments(120),
    lambda: wide_variables(2_000),
    lambda: deep_variables(400),
    lambda: many_operations(80, named=False),
    lambda: many_operations(80, named=True),
    lambda: long_string_argument(200_000),
)

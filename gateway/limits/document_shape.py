"""The shape of a parsed document, measured in one pass over its text: how many field
selections, aliases and levels its operations have once every fragment spread is expanded,
and how many fragment spreads and directives it is written with.

Expanding spreads naively is exponential: ``fragment F1 { ...F0 ...F0 }`` …
``fragment F20 { ...F19 ...F19 }`` is 800 bytes that expand to a million selections. Here
each fragment is measured once (fragments a spread needs first, in dependency order) and a
spread adds its fragment's measure, so the work is linear in the document. The walks are
iterative: a chain of hundreds of fragments or deeply nested selections cannot exhaust the
interpreter's stack. A fragment cycle (refused by validation) counts as empty where it
closes; an unknown fragment counts as empty.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionNode,
    SelectionSetNode,
)

__all__ = ["DocumentShape", "Measure", "OperationShape", "measure_document"]


@dataclass(frozen=True)
class Measure:
    """A selection set once its spreads are expanded."""

    #: field selections (``__typename`` and introspection fields included)
    selections: int = 0
    #: aliased field selections
    aliases: int = 0
    #: levels of fields with sub-selections below it; introspection fields add none
    depth: int = 0

    def __add__(self, other: Measure) -> Measure:
        return Measure(
            self.selections + other.selections,
            self.aliases + other.aliases,
            max(self.depth, other.depth),
        )


EMPTY = Measure()


@dataclass(frozen=True)
class OperationShape:
    node: OperationDefinitionNode
    measure: Measure

    @property
    def label(self) -> str:
        return self.node.name.value if self.node.name else "anonymous"


@dataclass(frozen=True)
class DocumentShape:
    operations: list[OperationShape] = field(default_factory=list)
    #: fragment spread nodes written in the document (not expanded)
    spreads: int = 0
    #: directive nodes written on selections and fragments (not expanded)
    directives: int = 0

    @property
    def selections(self) -> int:
        """Field selections of every operation, spreads expanded."""
        return sum(o.measure.selections for o in self.operations)

    @property
    def aliases(self) -> int:
        return sum(o.measure.aliases for o in self.operations)


def measure_document(document: DocumentNode) -> DocumentShape:
    """The document's shape; linear in its size whatever its fragments do."""
    fragments: dict[str, FragmentDefinitionNode] = {}
    operations: list[OperationDefinitionNode] = []
    for definition in document.definitions:
        if isinstance(definition, FragmentDefinitionNode):
            fragments[definition.name.value] = definition
        elif isinstance(definition, OperationDefinitionNode):
            operations.append(definition)
    counter = _Counter()
    measured: dict[str, Measure] = {}
    for name in _dependency_order(fragments, counter):
        measured[name] = _measure(fragments[name].selection_set, measured)
    shapes = [OperationShape(o, _measure(o.selection_set, measured)) for o in operations]
    for operation in operations:
        counter.count(operation.selection_set, len(operation.directives or ()))
    return DocumentShape(shapes, counter.spreads, counter.directives)


@dataclass
class _Counter:
    spreads: int = 0
    directives: int = 0

    def count(self, selection_set: SelectionSetNode, directives: int = 0) -> list[str]:
        """Counts the spreads and directives written in ``selection_set``; the names of the
        fragments it spreads."""
        names: list[str] = []
        self.directives += directives
        for selection in _selections(selection_set):
            self.directives += len(selection.directives or ())
            if isinstance(selection, FragmentSpreadNode):
                self.spreads += 1
                names.append(selection.name.value)
        return names


def _selections(selection_set: SelectionSetNode) -> Iterator[SelectionNode]:
    """Every selection written in ``selection_set``, nested ones included, spreads not
    followed."""
    pending: list[Sequence[SelectionNode]] = [selection_set.selections]
    while pending:
        for selection in pending.pop():
            yield selection
            nested = getattr(selection, "selection_set", None)
            if nested is not None:
                pending.append(nested.selections)


def _dependency_order(
    fragments: Mapping[str, FragmentDefinitionNode], counter: _Counter
) -> list[str]:
    """Fragment names, each after the fragments it spreads (a cycle is cut where found)."""
    needs = {
        name: counter.count(f.selection_set, len(f.directives or ()))
        for name, f in fragments.items()
    }
    order: list[str] = []
    seen: set[str] = set()
    for root in needs:
        if root in seen:
            continue
        seen.add(root)
        stack = [(root, iter(needs[root]))]
        while stack:
            name, pending = stack[-1]
            for needed in pending:
                if needed in needs and needed not in seen:
                    seen.add(needed)
                    stack.append((needed, iter(needs[needed])))
                    break
            else:
                stack.pop()
                order.append(name)
    return order


@dataclass
class _Frame:
    """A selection set being measured: its selections, how far we are, the sum so far and
    the field that owns it (None for an inline fragment or the top)."""

    selections: Sequence[SelectionNode]
    owner: FieldNode | None
    index: int = 0
    total: Measure = EMPTY


def _measure(selection_set: SelectionSetNode, fragments: Mapping[str, Measure]) -> Measure:
    """``selection_set`` with its spreads expanded from the already measured ``fragments``."""
    stack = [_Frame(selection_set.selections, None)]
    while True:
        frame = stack[-1]
        if frame.index < len(frame.selections):
            selection = frame.selections[frame.index]
            frame.index += 1
            if isinstance(selection, FieldNode):
                if selection.selection_set is not None:
                    stack.append(_Frame(selection.selection_set.selections, selection))
                else:
                    frame.total += Measure(1, 1 if selection.alias else 0, 0)
            elif isinstance(selection, InlineFragmentNode):
                stack.append(_Frame(selection.selection_set.selections, None))
            elif isinstance(selection, FragmentSpreadNode):
                frame.total += fragments.get(selection.name.value, EMPTY)
            continue
        stack.pop()
        done = _owned(frame.total, frame.owner)
        if not stack:
            return done
        stack[-1].total += done


def _owned(inner: Measure, owner: FieldNode | None) -> Measure:
    """A sub-selection's measure as seen from its parent: the owning field adds itself,
    and a level unless it is an introspection field (which the depth does not count)."""
    if owner is None:
        return inner
    introspection = owner.name.value.startswith("__")
    return Measure(
        inner.selections + 1,
        inner.aliases + (1 if owner.alias else 0),
        0 if introspection else inner.depth + 1,
    )
